// Finding and reading `*.test.json` suites (see suite.hpp).
#include "policy_test/suite.hpp"

#include <algorithm>
#include <set>

#include "runtime_io/json_fields.hpp"
#include "support/file_io.hpp"
#include "support/json.hpp"
#include "support/json_writer.hpp"

namespace warden::policy_test {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSuffix = ".test.json";

bool is_suite_name(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > kSuffix.size() && name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

// The permission source names decisions report (source_kind_name), in order.
std::vector<std::string> source_kinds() {
  std::vector<std::string> out;
  for (int k = 0; k <= static_cast<int>(SourceKind::Caller); ++k) out.push_back(source_kind_name(static_cast<SourceKind>(k)));
  return out;
}

// Writes `object` with `over`'s members replacing its own; members that are
// objects on both sides merge one level deep (when `deep`).
void append_merged(std::string& out, const json::Value& base, const json::Value& over, bool deep) {
  out += '{';
  bool first = true;
  auto key = [&](const std::string& k) {
    if (!first) out += ',';
    first = false;
    json::append_string(out, k);
    out += ':';
  };
  for (const auto& m : base.members()) {
    key(m.key);
    const json::Value* o = over.find(m.key);
    if (!o) {
      json::append_value(out, m.value);
    } else if (deep && o->is_object() && m.value.is_object()) {
      append_merged(out, m.value, *o, false);
    } else {
      json::append_value(out, *o);
    }
  }
  for (const auto& m : over.members()) {
    if (base.find(m.key)) continue;
    key(m.key);
    json::append_value(out, m.value);
  }
  out += '}';
}

class SuiteReader {
 public:
  SuiteReader(const fs::path& file, Suite& suite, InputError& error)
      : file_name_(file.generic_string()), dir_(file.parent_path()), suite_(suite), r_(runtime_io::kSuiteCodes, file_name_, 0, error) {}

  bool read(const json::Value& root) {
    if (!r_.object(root, "test suite")) return false;
    if (!r_.require(root, "test suite", "policy") || !r_.require(root, "test suite", "cases")) return false;
    const json::Value* defaults = nullptr;
    for (const auto& m : root.members()) {
      if (m.key == "policy") {
        std::string policy;
        if (!r_.string(m, "test suite", policy, true)) return false;
        suite_.policy = (dir_ / policy).lexically_normal();
      } else if (m.key == "description") {
        std::string ignored;
        if (!r_.string(m, "test suite", ignored)) return false;
      } else if (m.key == "facts") {
        if (!facts(m, "test suite", suite_.facts)) return false;
      } else if (m.key == "defaults") {
        if (!m.value.is_object()) return r_.wrong_type(m, "test suite", "an object (request fields)");
        defaults = &m.value;
      } else if (m.key == "cases") {
        if (!m.value.is_array()) return r_.wrong_type(m, "test suite", "an array of cases");
      } else {
        return r_.unknown(m, "test suite", {"policy", "description", "facts", "defaults", "cases"});
      }
    }
    std::set<std::string> names;
    for (const auto& item : root.find("cases")->items()) {
      TestCase c;
      if (!test_case(item, defaults, c)) return false;
      if (!names.insert(c.name).second) {
        return r_.fail(Code::T0107, "two cases are named " + runtime_io::ticked(c.name), item);
      }
      suite_.cases.push_back(std::move(c));
    }
    return true;
  }

 private:
  // `facts`: a file name, or an array of file names, fact records (objects
  // with a `kind`) and fact documents (objects without).
  bool facts(const json::Member& m, std::string_view what, std::vector<FactsSource>& out) {
    if (m.value.is_string()) return fact_file(m.value, out);
    if (!m.value.is_array()) return r_.wrong_type(m, what, "a file name or an array of files and fact records");
    FactsSource records;
    records.lines = true;
    auto flush = [&] {
      if (!records.text.empty()) out.push_back(std::move(records));
      records = FactsSource{};
      records.lines = true;
    };
    for (const auto& item : m.value.items()) {
      if (item.is_string()) {
        flush();
        if (!fact_file(item, out)) return false;
      } else if (item.is_object() && item.find("kind")) {
        if (records.text.empty()) records.line = item.line();
        json::append_value(records.text, item);
        records.text += '\n';
      } else if (item.is_object()) {
        flush();
        FactsSource doc;
        doc.line = item.line();
        json::append_value(doc.text, item);
        out.push_back(std::move(doc));
      } else {
        return r_.fail(runtime_io::kSuiteCodes.wrong_type,
                       std::string("items of `facts` must be file names or objects, not ") + runtime_io::a_kind(item.kind()),
                       item);
      }
    }
    flush();
    return true;
  }

  bool fact_file(const json::Value& v, std::vector<FactsSource>& out) {
    if (v.as_string().empty()) return r_.fail(runtime_io::kSuiteCodes.invalid_value, "a facts file name must not be empty", v);
    FactsSource f;
    f.file = (dir_ / v.as_string()).lexically_normal();
    f.line = v.line();
    out.push_back(std::move(f));
    return true;
  }

  bool test_case(const json::Value& v, const json::Value* defaults, TestCase& c) {
    if (!r_.object(v, "case")) return false;
    c.line = v.line();
    for (const char* field : {"name", "request", "expect"}) {
      if (!r_.require(v, "case", field)) return false;
    }
    for (const auto& m : v.members()) {
      if (m.key == "name") {
        if (!r_.string(m, "case", c.name, true)) return false;
      } else if (m.key == "request") {
        if (!m.value.is_object()) return r_.wrong_type(m, "case", "an object (a request as `warden eval` reads it)");
        c.request_line = m.value.line();
        if (defaults) {
          append_merged(c.request, *defaults, m.value, true);
        } else {
          json::append_value(c.request, m.value);
        }
      } else if (m.key == "facts") {
        if (!facts(m, "case", c.facts)) return false;
      } else if (m.key == "expect") {
        if (!expectation(m.value, c.expect)) return false;
      } else {
        return r_.unknown(m, "case", {"name", "request", "facts", "expect"});
      }
    }
    return true;
  }

  bool expectation(const json::Value& v, Expectation& e) {
    constexpr std::string_view what = "expect";
    if (!r_.object(v, what) || !r_.require(v, what, "decision")) return false;
    for (const auto& m : v.members()) {
      std::string text;
      if (m.key == "rules") {
        std::vector<std::string> rules;
        if (!m.value.is_array()) return r_.wrong_type(m, what, "an array of rule names");
        if (!r_.strings(m, what, rules)) return false;
        e.rules = std::move(rules);
        continue;
      }
      const bool known = m.key == "decision" || m.key == "code" || m.key == "rule" || m.key == "source" ||
                         m.key == "grant_id" || m.key == "message_contains" || m.key == "tenant" || m.key == "endpoint" ||
                         m.key == "request_id" || m.key == "resource_id" || m.key == "path" || m.key == "client_ip";
      if (!known) {
        return r_.unknown(m, what, {"decision", "code", "rule", "rules", "source", "grant_id", "message_contains",
                                    "tenant", "endpoint", "request_id", "resource_id", "path", "client_ip"});
      }
      const bool may_be_empty = m.key == "grant_id" || m.key == "tenant" || m.key == "request_id" ||
                                m.key == "resource_id" || m.key == "client_ip";
      if (!r_.string(m, what, text, !may_be_empty)) return false;
      if (m.key == "decision") {
        if (text == "allow") e.decision = Outcome::Allow;
        else if (text == "deny") e.decision = Outcome::Deny;
        else if (text == "would-deny") e.decision = Outcome::WouldDeny;
        else return r_.fail(runtime_io::kSuiteCodes.invalid_value, "`decision` must be `allow`, `deny` or `would-deny`, not " + runtime_io::ticked(text), m.value);
      } else if (m.key == "source") {
        const auto kinds = source_kinds();
        if (std::find(kinds.begin(), kinds.end(), text) == kinds.end()) {
          std::string expected;
          for (std::size_t i = 0; i < kinds.size(); ++i) expected += (i ? i + 1 == kinds.size() ? " or " : ", " : "") + kinds[i];
          return r_.fail(runtime_io::kSuiteCodes.invalid_value,
                         "unknown permission source " + runtime_io::ticked(text) + " (expected " + expected + ")", m.value);
        }
        e.source = text;
      } else if (m.key == "code") {
        e.code = text;
      } else if (m.key == "rule") {
        e.rule = text;
      } else if (m.key == "grant_id") {
        e.grant_id = text;
      } else if (m.key == "message_contains") {
        e.message_contains = text;
      } else if (m.key == "tenant") {
        e.tenant = text;
      } else if (m.key == "request_id") {
        e.request_id = text;
      } else if (m.key == "resource_id") {
        e.resource_id = text;
      } else if (m.key == "path") {
        e.path = text;
      } else if (m.key == "client_ip") {
        e.client_ip = text;
      } else {
        e.endpoint = text;
      }
    }
    return true;
  }

  std::string file_name_;
  fs::path dir_;
  Suite& suite_;
  runtime_io::FieldReader r_;
};

}  // namespace

SuiteFiles discover_suites(const std::vector<std::string>& paths) {
  SuiteFiles out;
  for (const auto& arg : paths) {
    std::error_code ec;
    const fs::path root(arg);
    const auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      out.missing.push_back(arg);
      continue;
    }
    if (!fs::is_directory(status)) {
      out.files.push_back(root);
      continue;
    }
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && is_suite_name(it->path())) found.push_back(it->path());
    }
    if (found.empty()) out.empty.push_back(arg);
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

std::optional<InputError> parse_suite(std::string_view text, const fs::path& file, Suite& suite) {
  suite = Suite{};
  suite.file = file;
  InputError error;
  SuiteReader reader(file, suite, error);
  const std::string name = file.generic_string();
  runtime_io::FieldReader r(runtime_io::kSuiteCodes, name, 0, error);
  const json::Result parsed = json::parse(text);
  if (!parsed.ok()) {
    r.fail_json(parsed.error);
    return error;
  }
  if (!reader.read(*parsed.value)) return error;
  return std::nullopt;
}

std::optional<InputError> read_suite(const fs::path& file, Suite& suite) {
  const FileRead read = read_file(file);
  if (!read.ok()) {
    suite = Suite{};
    suite.file = file;
    return InputError{std::string(code_name(Code::T0100)), "cannot read the test suite", file.generic_string(), 0, 0};
  }
  return parse_suite(read.bytes, file, suite);
}

}  // namespace warden::policy_test
