// Fact files and update batches (see warden/facts_json.hpp): format detection, the
// document and JSONL layouts, and duplicate detection across files.
#include "warden/facts_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <boost/unordered/unordered_flat_map.hpp>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "runtime_io/fact_records.hpp"
#include "runtime_io/facts_check.hpp"
#include "runtime_io/json_fields.hpp"
#include "runtime_io/simple_records.hpp"
#include "support/diagnostic.hpp"
#include "support/file_io.hpp"
#include "support/json.hpp"

namespace warden {
namespace {

using namespace runtime_io;  // the readers' internals

// A JSON document of facts may be large; one JSONL record may not.
constexpr std::size_t kMaxDocument = std::size_t{1} << 30;
constexpr std::size_t kMaxLine = std::size_t{1} << 20;

constexpr std::string_view kSections[] = {"entities", "memberships", "roles", "grants", "keys"};
constexpr FactChange::Kind kSectionKinds[] = {FactChange::Kind::Entity, FactChange::Kind::Membership,
                                              FactChange::Kind::Role, FactChange::Kind::Grant,
                                              FactChange::Kind::ApiKey};

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// Calls fn(line_number, line) for each line without its terminator (`\n`,
// `\r\n`); stops when fn returns false.
template <typename Fn>
bool for_each_line(std::string_view text, Fn&& fn) {
  std::uint32_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!fn(++number, line)) return false;
    start = end + 1;
  }
  return true;
}

json::Limits line_limits() {
  json::Limits l;
  l.max_size = kMaxLine;
  return l;
}

// The JSONL record kind: `"kind"` must be present and known.
bool line_kind(FieldReader& r, const json::Value& o, FactChange::Kind& kind) {
  if (!r.object(o, "a fact record")) return false;
  if (!r.require(o, "fact record", "kind")) return false;
  const json::Value& k = *o.find("kind");
  if (!k.is_string()) return r.fail(r.codes().wrong_type, "field `kind` must be a string", k);
  const auto parsed = record_kind(k.as_string());
  if (!parsed) {
    std::string message = "unknown record kind " + ticked(k.as_string()) +
                          " (expected `entity`, `membership`, `role`, `grant` or `key`)";
    if (auto near = closest_name(k.as_string(), {"entity", "membership", "role", "grant", "key"})) {
      message += "; did you mean `" + *near + "`?";
    }
    return r.fail(Code::F0105, std::move(message), k);
  }
  kind = *parsed;
  return true;
}

// A stable key for a record's identity (facts.hpp: entity type+id, grant
// and key id, membership and role all fields) after the kind, each field
// length-prefixed where there are several, so that no field content can
// collide with another split.
std::string identity(const FactChange& c) {
  const char kind = static_cast<char>('0' + static_cast<int>(c.kind));
  // One field: the kind and the id are enough.
  if (c.kind == FactChange::Kind::Grant) return kind + c.grant.id;
  if (c.kind == FactChange::Kind::ApiKey) return kind + c.key.id;
  std::string key(1, kind);
  const auto add = [&](const std::string& s) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, s.size());
    (void)ec;  // a size always fits
    key.append(digits, end);
    key += ':';
    key += s;
  };
  switch (c.kind) {
    case FactChange::Kind::Entity:
      key.reserve(8 + c.entity.type.size() + c.entity.id.size());
      add(c.entity.type);
      add(c.entity.id);
      break;
    case FactChange::Kind::Membership:
      for (const auto* f : {&c.membership.member_type, &c.membership.member_id, &c.membership.collection_type,
                            &c.membership.collection_id}) {
        add(*f);
      }
      break;
    case FactChange::Kind::Role:
      for (const auto* f : {&c.role.principal_type, &c.role.principal_id, &c.role.role, &c.role.scope_type,
                            &c.role.scope_id}) {
        add(*f);
      }
      break;
    case FactChange::Kind::Grant:
    case FactChange::Kind::ApiKey: break;  // above
  }
  return key;
}

std::string describe(const FactChange& c) {
  switch (c.kind) {
    case FactChange::Kind::Entity: return "entity " + ticked(c.entity.type + ":" + c.entity.id);
    case FactChange::Kind::Membership:
      return "membership of " + ticked(c.membership.member_type + ":" + c.membership.member_id) + " in " +
             ticked(c.membership.collection_type + ":" + c.membership.collection_id);
    case FactChange::Kind::Role: {
      std::string s = "role " + ticked(c.role.role) + " of " + ticked(c.role.principal_type + ":" + c.role.principal_id);
      if (!c.role.scope_type.empty()) s += " in " + ticked(c.role.scope_type + ":" + c.role.scope_id);
      return s;
    }
    case FactChange::Kind::Grant: return "grant " + ticked(c.grant.id);
    case FactChange::Kind::ApiKey: return "key " + ticked(c.key.id);
  }
  return "record";
}

void append(FactSet& set, FactChange&& c) {
  switch (c.kind) {
    case FactChange::Kind::Entity: set.entities.push_back(std::move(c.entity)); break;
    case FactChange::Kind::Membership: set.memberships.push_back(std::move(c.membership)); break;
    case FactChange::Kind::Role: set.roles.push_back(std::move(c.role)); break;
    case FactChange::Kind::Grant: set.grants.push_back(std::move(c.grant)); break;
    case FactChange::Kind::ApiKey: set.keys.push_back(std::move(c.key)); break;
  }
}

void append_all(FactSet& into, FactSet&& from) {
  const auto move_all = [](auto& to, auto& src) {
    if (to.empty()) {
      to = std::move(src);
    } else {
      to.insert(to.end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
    }
  };
  move_all(into.entities, from.entities);
  move_all(into.memberships, from.memberships);
  move_all(into.roles, from.roles);
  move_all(into.grants, from.grants);
  move_all(into.keys, from.keys);
}

// The document layout: an object of sections, each an array of records.
template <typename Take>
bool read_document(FieldReader& r, std::string_view text, Take&& take) {
  json::Limits limits;
  limits.max_size = kMaxDocument;
  const auto parsed = json::parse(text, limits);
  if (!parsed.ok()) return r.fail_json(parsed.error);
  if (!r.object(*parsed.value, "a fact document")) return false;
  for (const json::Member& section : parsed.value->members()) {
    std::size_t s = 0;
    while (s < std::size(kSections) && kSections[s] != section.key) ++s;
    if (s == std::size(kSections)) {
      return r.unknown(section, "the fact document", {"entities", "memberships", "roles", "grants", "keys"});
    }
    if (!section.value.is_array()) return r.wrong_type(section, "the fact document", "an array");
    for (const auto& item : section.value.items()) {
      // A record may repeat its kind; it must then match its section.
      if (const json::Value* k = item.is_object() ? item.find("kind") : nullptr;
          k && (!k->is_string() || record_kind(k->as_string()) != kSectionKinds[s])) {
        return r.fail(Code::F0105,
                      "record kind does not match its section `" + std::string(kSections[s]) + "`", *k);
      }
      FactChange change;
      if (!decode_record(r, item, kSectionKinds[s], RecordMode::Full, {"kind"}, change)) return false;
      if (!take(r, std::move(change), item, item.line())) return false;
    }
  }
  return true;
}

struct IdentityHash {
  using is_avalanching = void;  // XXH3
  std::size_t operator()(const std::string& s) const noexcept { return XXH3_64bits(s.data(), s.size()); }
};

// Runs the checker over the records of one text and places its findings in
// the file: `object` is the record's JSON object, whose positions are
// shifted by `line_offset` (JSONL parses one line at a time); a record read
// without one (read_simple_record) is parsed again from `line_text`, which
// only a record with findings costs.
class RecordCheck {
 public:
  RecordCheck(const FactSchema* schema, FactsCheck mode, std::string_view file, std::vector<InputError>& kept,
              std::size_t& total)
      : mode_(mode), file_(file), kept_(kept), total_(total) {
    if (schema) checker_.emplace(*schema);
  }

  void operator()(const FactChange& c, const json::Value* object, std::string_view line_text,
                  std::uint32_t line_offset) {
    if (!checker_) return;
    found_.clear();
    checker_->check(c, found_);
    if (found_.empty()) return;
    std::optional<json::Result> reparsed;
    if (!object) {
      reparsed.emplace(json::parse(line_text, line_limits()));
      if (reparsed->ok()) object = &*reparsed->value;
    }
    for (const FactFinding& f : found_) {
      InputError e;
      e.code = std::string(code_name(f.code));
      e.file = std::string(file_);
      if (object) {
        PlacedFinding at = place(*object, f);
        e.message = std::move(at.message);
        e.line = at.line + line_offset;
        e.column = at.column;
      } else {
        e.message = f.message;
        e.line = line_offset + 1;
      }
      e.warning = mode_ == FactsCheck::Warn;
      if (!first_) first_ = e;
      ++total_;
      if (kept_.size() < kMaxFactFindings) kept_.push_back(std::move(e));
    }
  }

  // The first finding in this text, which refuses it under FactsCheck::Refuse.
  std::optional<InputError> refusal() const {
    if (mode_ == FactsCheck::Refuse) return first_;
    return std::nullopt;
  }

 private:
  std::optional<FactChecker> checker_;
  FactsCheck mode_;
  std::string_view file_;
  std::vector<InputError>& kept_;
  std::size_t& total_;
  std::vector<FactFinding> found_;
  std::optional<InputError> first_;
};

}  // namespace

struct FactsReader::Identities : boost::unordered_flat_map<std::string, Origin, IdentityHash> {};

FactsReader::FactsReader() = default;
FactsReader::~FactsReader() = default;
FactsReader::FactsReader(const FactsReader& other)
    : facts_(other.facts_),
      files_(other.files_),
      seen_(other.seen_ ? std::make_unique<Identities>(*other.seen_) : nullptr),
      schema_(other.schema_),
      mode_(other.mode_),
      findings_(other.findings_),
      findings_total_(other.findings_total_) {}
FactsReader& FactsReader::operator=(const FactsReader& other) {
  if (this != &other) *this = FactsReader(other);
  return *this;
}
FactsReader::FactsReader(FactsReader&&) noexcept = default;
FactsReader& FactsReader::operator=(FactsReader&&) noexcept = default;

FactsFormat detect_format(std::string_view text, std::string_view file_name) {
  const std::string ext = std::filesystem::path(file_name).extension().string();
  if (ext == ".json") return FactsFormat::Document;
  if (ext == ".jsonl" || ext == ".ndjson") return FactsFormat::Lines;
  FactsFormat found = FactsFormat::Document;
  for_each_line(text, [&](std::uint32_t, std::string_view line) {
    if (blank(line)) return true;
    const auto r = json::parse(line, line_limits());
    if (r.ok() && r.value->is_object() && r.value->find("kind")) found = FactsFormat::Lines;
    return false;
  });
  return found;
}

std::optional<InputError> FactsReader::add(std::string_view text, std::string_view file_name, FactsFormat format) {
  if (format == FactsFormat::Auto) format = detect_format(text, file_name);
  InputError error;
  FactSet batch;
  Identities fresh;  // identities first given in this text
  if (format == FactsFormat::Lines && !text.empty()) {
    // About one record a line: sized once rather than rehashed as it grows.
    std::size_t lines = 1;
    for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(p, '\n', text.data() + text.size() - p)));
         ++p) {
      ++lines;
    }
    fresh.reserve(lines);
  }
  const auto file_index = static_cast<std::uint32_t>(files_.size());
  const auto file_of = [&](const Origin& o) { return o.file == file_index ? std::string(file_name) : files_[o.file]; };

  // Where `c` was first given, if it was (in this text or an earlier one);
  // otherwise it is now recorded as given at `line`.
  const auto given_before = [&](const FactChange& c, std::uint32_t line) -> const Origin* {
    // One lookup in the common case (a single file: seen_ is empty).
    const auto [it, added] = fresh.try_emplace(identity(c), Origin{file_index, line});
    if (!added) return &it->second;
    if (!seen_ || seen_->empty()) return nullptr;
    auto old = seen_->find(it->first);
    if (old == seen_->end()) return nullptr;
    fresh.erase(it);
    return &old->second;
  };
  // A text refused for an error of its own reports that error alone: its
  // findings are taken back.
  const std::size_t kept_before = findings_.size(), total_before = findings_total_;
  RecordCheck check(schema_.get(), mode_, file_name, findings_, findings_total_);
  // Checks `c` against everything seen so far and against the policy, then
  // keeps it.
  const auto take = [&](FieldReader& r, FactChange&& c, const json::Value& at, std::uint32_t line,
                        std::uint32_t line_offset) {
    if (const Origin* first = given_before(c, line)) {
      return r.fail(Code::F0107,
                    "duplicate " + describe(c) + " (first given at " + file_of(*first) + ":" +
                        std::to_string(first->line) + ")",
                    at);
    }
    check(c, &at, {}, line_offset);
    append(batch, std::move(c));
    return true;
  };

  bool ok = true;
  if (format == FactsFormat::Lines) {
    FactChange simple;
    ok = for_each_line(text, [&](std::uint32_t number, std::string_view line) {
      if (blank(line)) return true;
      // Most lines of a large file are flat grants and memberships: read
      // without a document; anything else (and a record given twice, to
      // report it) the general way.
      if (read_simple_record(line, simple) && !given_before(simple, number)) {
        check(simple, nullptr, line, number - 1);
        append(batch, std::move(simple));
        return true;
      }
      FieldReader r(kFactCodes, file_name, number - 1, error);
      const auto parsed = json::parse(line, line_limits());
      if (!parsed.ok()) return r.fail_json(parsed.error);
      FactChange change;
      FactChange::Kind kind{};
      if (!line_kind(r, *parsed.value, kind)) return false;
      if (!decode_record(r, *parsed.value, kind, RecordMode::Full, {"kind"}, change)) return false;
      return take(r, std::move(change), *parsed.value, number, number - 1);
    });
  } else {
    FieldReader r(kFactCodes, file_name, 0, error);
    ok = read_document(r, text, [&](FieldReader& fr, FactChange&& c, const json::Value& at, std::uint32_t line) {
      return take(fr, std::move(c), at, line, 0);
    });
  }
  if (!ok) {
    findings_.resize(kept_before);
    findings_total_ = total_before;
    return error;
  }
  if (auto refused = check.refusal()) return refused;
  append_all(facts_, std::move(batch));
  files_.emplace_back(file_name);
  if (!seen_ || seen_->empty()) {
    seen_ = std::make_unique<Identities>(std::move(fresh));
  } else {
    for (auto& [key, origin] : fresh) seen_->emplace(key, origin);
  }
  return std::nullopt;
}

std::optional<InputError> FactsReader::add_file(const std::filesystem::path& path, FactsFormat format) {
  const FileRead file = read_file(path);
  if (!file.ok()) {
    InputError e;
    e.code = std::string(code_name(Code::F0100));
    e.file = path.generic_string();
    e.message = "cannot read facts file " + ticked(e.file);
    return e;
  }
  return add(file.bytes, path.generic_string(), format);
}

void FactsReader::check_against(std::shared_ptr<const FactSchema> schema, FactsCheck mode) {
  schema_ = std::move(schema);
  mode_ = mode;
}

FactsResult parse_facts(std::string_view text, std::string_view file_name, FactsFormat format,
                        const FactSchema* schema, FactsCheck mode) {
  FactsReader reader;
  // Not owned: the schema outlives the call.
  if (schema) reader.check_against(std::shared_ptr<const FactSchema>(std::shared_ptr<const FactSchema>(), schema), mode);
  FactsResult result;
  result.error = reader.add(text, file_name, format);
  if (!result.error) result.facts = reader.take();
  result.findings = reader.findings();
  result.findings_total = reader.findings_total();
  return result;
}

ParsedUpdate parse_update(std::string_view text, std::string_view file_name, const FactSchema* schema,
                          FactsCheck mode) {
  ParsedUpdate out;
  InputError error;
  RecordCheck check(schema, mode, file_name, out.findings, out.findings_total);
  bool ok = for_each_line(text, [&](std::uint32_t number, std::string_view line) {
    if (blank(line)) return true;
    FieldReader r(kFactCodes, file_name, number - 1, error);
    const auto parsed = json::parse(line, line_limits());
    if (!parsed.ok()) return r.fail_json(parsed.error);
    const json::Value& o = *parsed.value;
    if (!r.object(o, "an update") || !r.require(o, "update", "op")) return false;
    const json::Value& op = *o.find("op");
    if (!op.is_string()) return r.fail(kFactCodes.wrong_type, "field `op` must be a string", op);
    FactChange change;
    if (op.as_string() == "upsert") {
      change.op = FactChange::Op::Upsert;
    } else if (op.as_string() == "remove") {
      change.op = FactChange::Op::Remove;
    } else {
      return r.fail(kFactCodes.invalid_value, "unknown op " + ticked(op.as_string()) + " (expected `upsert` or `remove`)",
                    op);
    }
    FactChange::Kind kind{};
    if (!line_kind(r, o, kind)) return false;
    const RecordMode record_mode = change.op == FactChange::Op::Remove ? RecordMode::Identity : RecordMode::Full;
    if (!decode_record(r, o, kind, record_mode, {"kind", "op"}, change)) return false;
    check(change, &o, {}, number - 1);
    out.update.changes.push_back(std::move(change));
    out.lines.push_back(number);
    return true;
  });
  if (!ok) {
    // Refused for an error of its own: that error alone is reported.
    out.findings.clear();
    out.findings_total = 0;
  } else if (auto refused = check.refusal()) {
    error = std::move(*refused);
    ok = false;
  }
  if (!ok) {
    out.update.changes.clear();
    out.lines.clear();
    out.error = std::move(error);
  }
  return out;
}

InputError update_error(const Status& status, const ParsedUpdate& update, std::string_view file_name) {
  InputError e;
  e.code = status.code;
  e.message = status.message;
  e.file = std::string(file_name);
  if (status.line >= 1 && status.line <= update.lines.size()) e.line = update.lines[status.line - 1];
  return e;
}

}  // namespace warden
