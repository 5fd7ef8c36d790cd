// The option table of `warden serve` (see options.hpp).
#include "server/options.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

#include "support/json.hpp"

namespace warden::server {
namespace {

enum class Kind { Text, List, Count, Millis, Fraction, Flag };

struct Option {
  const char* name;
  Kind kind;
  std::function<void(ServeOptions&, const std::string&)> set;
};

template <typename T>
bool to_number(const std::string& text, T& out) {
  if (text.empty() || text.size() > 18) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

const std::vector<Option>& options() {
  static const std::vector<Option> table = {
      {"policy", Kind::Text, [](ServeOptions& o, const std::string& v) { o.policy = v; }},
      {"facts", Kind::List, [](ServeOptions& o, const std::string& v) { o.facts.push_back(v); }},
      {"facts-mapping", Kind::Text, [](ServeOptions& o, const std::string& v) { o.facts_mapping = v; }},
      {"facts-max-staleness", Kind::Millis, [](ServeOptions& o, const std::string& v) { o.facts_max_staleness = std::chrono::milliseconds(std::stoll(v)); }},
      {"facts-check", Kind::Text, [](ServeOptions& o, const std::string& v) { o.facts_check = v == "refuse" ? FactsCheck::Refuse : FactsCheck::Warn; }},
      {"listen", Kind::Text, [](ServeOptions& o, const std::string& v) { o.listen = v; }},
      {"admin-listen", Kind::Text, [](ServeOptions& o, const std::string& v) { o.admin_listen = v; }},
      {"admin-token-file", Kind::Text, [](ServeOptions& o, const std::string& v) { o.admin_token_file = v; }},
      {"threads", Kind::Count, [](ServeOptions& o, const std::string& v) { o.threads = static_cast<unsigned>(std::stoul(v)); }},
      {"no-watch", Kind::Flag, [](ServeOptions& o, const std::string&) { o.watch = false; }},
      {"key-header", Kind::Text, [](ServeOptions& o, const std::string& v) { o.key_header = v; }},
      {"request-id-header", Kind::Text, [](ServeOptions& o, const std::string& v) { o.request_id_header = v; }},
      {"tenant-header", Kind::Text, [](ServeOptions& o, const std::string& v) { o.tenant_header = v; }},
      {"session-header", Kind::Text, [](ServeOptions& o, const std::string& v) { o.session_header = v; }},
      {"client-ip-header", Kind::Text, [](ServeOptions& o, const std::string& v) { o.client_ip_header = v; }},
      {"decision-log", Kind::Text, [](ServeOptions& o, const std::string& v) { o.log.path = v; }},
      {"log-max-bytes", Kind::Count, [](ServeOptions& o, const std::string& v) { o.log.max_bytes = std::stoull(v); }},
      {"log-keep", Kind::Count, [](ServeOptions& o, const std::string& v) { o.log.keep = static_cast<unsigned>(std::stoul(v)); }},
      {"log-queue", Kind::Count, [](ServeOptions& o, const std::string& v) { o.log.queue_capacity = std::stoull(v); }},
      {"log-sample-allow", Kind::Fraction, [](ServeOptions& o, const std::string& v) { o.log.sample_allow = std::stod(v); }},
      {"log-mask", Kind::List, [](ServeOptions& o, const std::string& v) { o.log.mask.push_back(v); }},
      {"audit-db", Kind::Text, [](ServeOptions& o, const std::string& v) { o.audit.url = v; }},
      {"audit-table", Kind::Text, [](ServeOptions& o, const std::string& v) { o.audit.table = v; }},
      {"audit-resource-type", Kind::Text, [](ServeOptions& o, const std::string& v) { o.audit.resource_type = v; }},
      {"audit-queue", Kind::Count, [](ServeOptions& o, const std::string& v) { o.audit.queue_capacity = std::stoull(v); }},
      {"audit-batch", Kind::Count, [](ServeOptions& o, const std::string& v) { o.audit.batch = std::stoull(v); }},
      {"max-body", Kind::Count, [](ServeOptions& o, const std::string& v) { o.limits.max_body = std::stoull(v); }},
      {"max-header", Kind::Count, [](ServeOptions& o, const std::string& v) { o.limits.max_header = std::stoull(v); }},
      {"max-connections", Kind::Count, [](ServeOptions& o, const std::string& v) { o.limits.max_connections = std::stoull(v); }},
      {"idle-timeout", Kind::Millis, [](ServeOptions& o, const std::string& v) { o.limits.idle_timeout = std::chrono::milliseconds(std::stoll(v)); }},
      {"header-timeout", Kind::Millis, [](ServeOptions& o, const std::string& v) { o.limits.header_timeout = std::chrono::milliseconds(std::stoll(v)); }},
      {"body-timeout", Kind::Millis, [](ServeOptions& o, const std::string& v) { o.limits.body_timeout = std::chrono::milliseconds(std::stoll(v)); }},
      {"max-json-depth", Kind::Count, [](ServeOptions& o, const std::string& v) { o.limits.max_json_depth = std::stoull(v); }},
      {"max-batch", Kind::Count, [](ServeOptions& o, const std::string& v) { o.limits.max_batch = std::stoull(v); }},
      {"drain-timeout", Kind::Millis, [](ServeOptions& o, const std::string& v) { o.drain_timeout = std::chrono::milliseconds(std::stoll(v)); }},
      {"verify-key", Kind::List, [](ServeOptions& o, const std::string& v) { o.verify_keys.push_back(v); }},
  };
  return table;
}

const Option* find_option(std::string_view name) {
  for (const auto& o : options()) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

// Checks `value` against the option's kind, then stores it.
std::optional<std::string> apply(const Option& o, const std::string& value, ServeOptions& out) {
  const std::string flag = std::string("`--") + o.name + "`";
  switch (o.kind) {
    case Kind::Count:
    case Kind::Millis: {
      std::uint64_t n = 0;
      if (!to_number(value, n)) return flag + " needs a whole number, not `" + value + "`";
      if (o.kind == Kind::Count && n == 0 && std::string_view(o.name) != "log-max-bytes" &&
          std::string_view(o.name) != "threads") {
        return flag + " must be at least 1";
      }
      break;
    }
    case Kind::Fraction: {
      double f = -1;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), f);
      if (ec != std::errc() || end != value.data() + value.size() || f < 0 || f > 1) {
        return flag + " needs a number from 0 to 1, not `" + value + "`";
      }
      break;
    }
    case Kind::Text:
    case Kind::List:
      if (value.empty()) return flag + " needs a value";
      if (std::string_view(o.name) == "facts-check" && value != "refuse" && value != "warn") {
        return flag + " is `refuse` or `warn`, not `" + value + "`";
      }
      break;
    case Kind::Flag: break;
  }
  o.set(out, value);
  return std::nullopt;
}

std::optional<std::string> read_config(const std::string& file, ServeOptions& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "cannot read config file `" + file + "`";
  std::ostringstream text;
  text << in.rdbuf();
  const auto parsed = json::parse(text.str());
  if (!parsed.ok()) {
    return file + ":" + std::to_string(parsed.error.line) + ":" + std::to_string(parsed.error.column) + ": " +
           parsed.error.message;
  }
  if (!parsed.value->is_object()) return "config file `" + file + "` must hold a JSON object";
  for (const auto& m : parsed.value->members()) {
    const std::string where = file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column) + ": ";
    const Option* o = find_option(m.key);
    if (!o) return where + "unknown option `" + m.key + "`";
    std::vector<std::string> values;
    const json::Value& v = m.value;
    if (o->kind == Kind::Flag) {
      if (!v.is_bool()) return where + "option `" + m.key + "` must be true or false";
      if (v.as_bool()) values.emplace_back();
    } else if (o->kind == Kind::List && v.is_array()) {
      for (const auto& item : v.items()) {
        if (!item.is_string()) return where + "option `" + m.key + "` must be a list of strings";
        values.push_back(item.as_string());
      }
    } else if (v.is_string()) {
      values.push_back(v.as_string());
    } else if (v.is_int() && o->kind != Kind::Text && o->kind != Kind::List) {
      values.push_back(std::to_string(v.as_int()));
    } else if (v.is_number() && o->kind == Kind::Fraction) {
      values.push_back(std::to_string(v.as_double()));
    } else {
      return where + "option `" + m.key + "` has the wrong type";
    }
    for (const auto& value : values) {
      if (auto e = apply(*o, value, out)) return where + *e;
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_database_url(std::string_view facts) {
  return facts.rfind("postgresql://", 0) == 0 || facts.rfind("postgres://", 0) == 0;
}

const std::vector<std::string>& maskable_fields() {
  static const std::vector<std::string> fields = {
      "request_id", "tenant",   "principal", "user_id",     "key_id",     "path",
      "resource_id", "details", "required",  "ip_address",  "user_agent", "session_id"};
  return fields;
}

std::vector<std::string_view> setting_names() {
  std::vector<std::string_view> names;
  for (const auto& o : options()) {
    if (std::string_view(o.name) != "policy") names.emplace_back(o.name);
  }
  return names;
}

OptionsResult serve_options(const std::string& policy, const std::string& config_file, const std::vector<Setting>& given) {
  OptionsResult r;
  ServeOptions& o = r.options;
  std::vector<std::pair<const Option*, std::string>> flags;
  for (const auto& [name, value] : given) {
    const Option* opt = find_option(name);
    if (!opt) {
      r.error = "unknown option `--" + name + "`";
      return r;
    }
    flags.emplace_back(opt, value);
  }
  // The file first, then the flags, so that flags win; list options given
  // as flags replace the file's list.
  if (!config_file.empty()) {
    if (auto e = read_config(config_file, o)) {
      r.error = *e;
      return r;
    }
  }
  std::vector<const Option*> cleared;
  for (const auto& [opt, value] : flags) {
    if (opt->kind == Kind::List && std::find(cleared.begin(), cleared.end(), opt) == cleared.end()) {
      cleared.push_back(opt);
      if (std::string_view(opt->name) == "facts") o.facts.clear();
      if (std::string_view(opt->name) == "log-mask") o.log.mask.clear();
    }
    if (auto e = apply(*opt, value, o)) {
      r.error = *e;
      return r;
    }
  }
  if (!policy.empty()) o.policy = policy;
  if (o.policy.empty()) {
    r.error = "no policy given";
    return r;
  }
  // A database URL among the facts: the PostgreSQL source, alone.
  for (auto it = o.facts.begin(); it != o.facts.end();) {
    if (is_database_url(*it)) {
      if (!o.facts_db.empty()) {
        r.error = "`--facts`: give one database";
        return r;
      }
      o.facts_db = *it;
      it = o.facts.erase(it);
    } else {
      ++it;
    }
  }
  if (!o.facts_db.empty() && !o.facts.empty()) {
    r.error = "`--facts`: facts come from a database or from files, not both";
    return r;
  }
  if (!o.facts_db.empty() && o.facts_mapping.empty()) {
    r.error = "`--facts " + o.facts_db.substr(0, o.facts_db.find(':')) + "://…` needs `--facts-mapping FILE`";
    return r;
  }
  if (o.facts_db.empty() && (!o.facts_mapping.empty() || o.facts_max_staleness.count() > 0)) {
    r.error = "`--facts-mapping` and `--facts-max-staleness` need `--facts postgresql://…`";
    return r;
  }
  if (!o.audit.url.empty() && !is_database_url(o.audit.url)) {
    r.error = "`--audit-db`: a postgresql:// URL is needed, not `" + o.audit.url + "`";
    return r;
  }
  for (const auto& field : o.log.mask) {
    const auto& known = maskable_fields();
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      r.error = "`--log-mask`: no record field `" + field + "` can be masked (see docs/server.md)";
      return r;
    }
  }
  return r;
}

}  // namespace warden::server
