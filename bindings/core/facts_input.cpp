// Facts and updates from host-language input (see facts_input.hpp).
#include "bindings/core/facts_input.hpp"

#include <memory>

#include "support/diagnostic.hpp"
#include "support/file_io.hpp"
#include "support/json.hpp"
#include "support/json_writer.hpp"

namespace warden::bindings {
namespace {

bool is_f04(const std::string& code) { return code.rfind("F04", 0) == 0; }

// Places errors and findings in the host's sources: by the name a reader
// gave them (a file's path, an in-memory source's name).
class Placer {
 public:
  explicit Placer(const std::vector<FactsSource>& sources) : sources_(sources), places_(sources.size()) {}

  HostFinding operator()(const InputError& e) {
    HostFinding f{e.code, e.message, e.file, e.line, e.column, {}, -1, e.warning};
    for (std::size_t i = 0; i < sources_.size() && e.line > 0; ++i) {
      const FactsSource& s = sources_[i];
      if (s.kind == FactsSource::Kind::File || s.name != e.file) continue;
      if (s.kind == FactsSource::Kind::Lines) {
        f.record = e.line - 1;
      } else {
        if (!places_[i]) places_[i] = std::make_unique<std::vector<DocumentPlace>>(document_places(s.text));
        if (e.line <= places_[i]->size()) {
          const DocumentPlace& p = (*places_[i])[e.line - 1];
          f.section = p.section;
          f.record = p.record;
        }
      }
      break;
    }
    return f;
  }

  HostFindings all(const std::vector<InputError>& findings, std::size_t total) {
    HostFindings out;
    out.total = total;
    for (const InputError& e : findings) out.items.push_back((*this)(e));
    return out;
  }

 private:
  const std::vector<FactsSource>& sources_;
  std::vector<std::unique_ptr<std::vector<DocumentPlace>>> places_;  // computed when first needed
};

void write_finding(json::Writer& w, const HostFinding& f) {
  w.begin_object().field("code", f.code).field("message", f.message).field("file", f.file);
  w.key("line").unsigned_integer(f.line).key("column").unsigned_integer(f.column);
  w.key("section");
  if (f.section.empty()) w.null();
  else w.string(f.section);
  w.key("record");
  if (f.record < 0) w.null();
  else w.integer(f.record);
  w.field("warning", f.warning).end_object();
}

void write_findings(json::Writer& w, const HostFindings& f) {
  w.key("findings").begin_array();
  for (const HostFinding& x : f.items) write_finding(w, x);
  w.end_array().key("total").unsigned_integer(f.total);
}

}  // namespace

std::vector<DocumentPlace> document_places(std::string_view text) {
  std::vector<DocumentPlace> out;
  std::string section;
  bool in_section = false;
  std::int64_t index = 0;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    DocumentPlace p;
    if (line.size() >= 3 && line.substr(line.size() - 2) == ":[" && line.front() == '"') {
      // `"key":[`: the key is a JSON string.
      const json::Result key = json::parse(line.substr(0, line.size() - 2));
      section = key.ok() && key.value->is_string() ? key.value->as_string() : std::string();
      in_section = true;
      index = 0;
    } else if (line == "]" || line == "],") {
      in_section = false;
    } else if (in_section) {
      p.section = section;
      p.record = index++;
    }
    out.push_back(std::move(p));
    if (end == text.size()) break;
    at = end + 1;
  }
  return out;
}

FactsOutcome replace_facts(Engine& engine, const std::vector<FactsSource>& sources, FactsCheck check) {
  FactsOutcome out;
  Placer place(sources);
  FactsReader reader;
  reader.check_against(engine.fact_schema(), check);
  for (const FactsSource& s : sources) {
    std::optional<InputError> e;
    switch (s.kind) {
      case FactsSource::Kind::File: e = reader.add_file(s.text); break;
      case FactsSource::Kind::Document: e = reader.add(s.text, s.name, FactsFormat::Document); break;
      case FactsSource::Kind::Lines: e = reader.add(s.text, s.name, FactsFormat::Lines); break;
    }
    if (e) {
      out.error = place(*e);
      // Refused for what the policy does not declare: every reason.
      if (is_f04(e->code)) out.findings = place.all(reader.findings(), reader.findings_total());
      return out;
    }
  }
  const Status status = engine.replace_facts(reader.facts());
  if (!status.ok) {
    out.error = HostFinding{status.code, status.message, "", status.line, 0, {}, -1, false};
    return out;
  }
  out.findings = place.all(reader.findings(), reader.findings_total());
  return out;
}

FactsOutcome apply_update(Engine& engine, std::string_view text, std::string_view name, FactsCheck check) {
  // A host's list, one change per line: a change's line is its index + 1.
  const std::vector<FactsSource> sources{{FactsSource::Kind::Lines, std::string(), std::string(name)}};
  Placer place(sources);
  FactsOutcome out;
  const auto schema = engine.fact_schema();
  ParsedUpdate parsed = parse_update(text, name, schema.get(), check);
  if (!parsed.ok()) {
    out.error = place(*parsed.error);
    if (is_f04(parsed.error->code)) out.findings = place.all(parsed.findings, parsed.findings_total);
    return out;
  }
  const Status status = engine.apply(parsed.update);
  if (!status.ok) {
    out.error = place(update_error(status, parsed, name));
    return out;
  }
  out.findings = place.all(parsed.findings, parsed.findings_total);
  return out;
}

FactsOutcome apply_update_file(Engine& engine, const std::string& path, FactsCheck check) {
  FileRead file = read_file(path);
  if (!file.ok()) {
    FactsOutcome out;
    out.error = HostFinding{std::string(code_name(Code::F0100)), "cannot read update file `" + path + "`", path, 0, 0,
                            {}, -1, false};
    return out;
  }
  FactsOutcome out = apply_update(engine, file.bytes, path, check);
  // A file's lines are not a host's records.
  if (out.error) out.error->record = -1;
  for (HostFinding& f : out.findings.items) f.record = -1;
  return out;
}

HostFindings host_findings(const std::vector<InputError>& findings, std::size_t total) {
  static const std::vector<FactsSource> none;
  Placer place(none);
  return place.all(findings, total);
}

std::string finding_json(const HostFinding& f) {
  std::string out;
  json::Writer w(out);
  write_finding(w, f);
  return out;
}

std::string findings_json(const HostFindings& f) {
  std::string out;
  json::Writer w(out);
  w.begin_object();
  write_findings(w, f);
  w.end_object();
  return out;
}

std::string outcome_json(const FactsOutcome& o) {
  std::string out;
  json::Writer w(out);
  w.begin_object().key("error");
  if (o.error) write_finding(w, *o.error);
  else w.null();
  write_findings(w, o.findings);
  w.end_object();
  return out;
}

}  // namespace warden::bindings
