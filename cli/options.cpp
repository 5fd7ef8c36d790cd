// The option parser and the usage text (see options.hpp).
#include "cli/options.hpp"

#include <algorithm>
#include <ostream>

#include "cli/commands.hpp"

namespace warden::cli {
namespace {

const Option* find(const Command& c, std::string_view arg) {
  for (const Option& o : c.options) {
    if (arg == o.name || (!o.alias.empty() && arg == o.alias)) return &o;
  }
  return nullptr;
}

// The values an option accepts, from `value` ("text|json") and
// `also_accepted`; empty when it takes any value.
std::vector<std::string_view> choices(const Option& o) {
  std::vector<std::string_view> out;
  if (o.value.find('|') == std::string_view::npos) return out;
  for (std::string_view list : {o.value, o.also_accepted}) {
    while (!list.empty()) {
      const auto bar = list.find('|');
      out.push_back(list.substr(0, bar));
      list = bar == std::string_view::npos ? std::string_view{} : list.substr(bar + 1);
    }
  }
  return out;
}

// "`text` or `json`", "`a`, `b` or `c`": the listed values (not the aliases).
std::string listed(std::string_view value) {
  std::vector<std::string_view> items;
  while (!value.empty()) {
    const auto bar = value.find('|');
    items.push_back(value.substr(0, bar));
    value = bar == std::string_view::npos ? std::string_view{} : value.substr(bar + 1);
  }
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    s += i == 0 ? "" : i + 1 == items.size() ? " or " : ", ";
    s += "`" + std::string(items[i]) + "`";
  }
  return s;
}

std::string shown(const Option& o) {
  std::string s = o.alias.empty() ? std::string(o.name) : std::string(o.alias) + ", " + std::string(o.name);
  if (!o.value.empty()) s += " " + std::string(o.value);
  return s;
}

}  // namespace

int usage_error(const Command& c, std::string_view message, std::ostream& err) {
  err << "error: " << message << "\n" << usage_text(c);
  return kExitUsage;
}

bool ParsedArgs::has(std::string_view name) const {
  return std::any_of(given_.begin(), given_.end(), [&](const auto& g) { return g.first == name; });
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  for (auto it = given_.rbegin(); it != given_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : given_) {
    if (n == name) out.push_back(v);
  }
  return out;
}

std::optional<int> parse(const Command& c, const Args& args, ParsedArgs& parsed, std::ostream& out, std::ostream& err) {
  parsed = ParsedArgs{};
  bool options_end = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_end || a.empty() || a[0] != '-' || a == "-") {
      parsed.operands_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_end = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      out << usage_text(c);
      return kExitOk;
    }
    // `--name=value`: split at the first `=` (short aliases take no `=`).
    const auto eq = a.rfind("--", 0) == 0 ? a.find('=') : std::string::npos;
    const std::string_view name = std::string_view(a).substr(0, eq);
    const Option* o = find(c, name);
    if (!o) return usage_error(c, "unknown option `" + a + "`", err);
    std::string value;
    if (o->value.empty()) {
      if (eq != std::string::npos) return usage_error(c, "`" + std::string(o->name) + "` takes no value", err);
    } else if (eq != std::string::npos) {
      value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return usage_error(c, "`" + std::string(name) + "` needs a value (" + std::string(o->value) + ")", err);
    }
    if (const auto accepted = choices(*o); !accepted.empty() &&
                                            std::find(accepted.begin(), accepted.end(), value) == accepted.end()) {
      return usage_error(c,
                         "unknown " + std::string(o->name.substr(2)) + " `" + value + "` (expected " +
                             listed(o->value) + ")",
                         err);
    }
    parsed.given_.emplace_back(o->name, std::move(value));
  }
  return std::nullopt;
}

std::string usage_text(const Command& c) {
  std::string s = "usage: warden " + std::string(c.name) + " " + std::string(c.operands) + "\n\n";
  s += c.description;
  if (!s.empty() && s.back() != '\n') s += "\n";
  // One block per group, options aligned on their help.
  std::size_t width = 0;
  for (const Option& o : c.options) width = std::max(width, shown(o).size());
  std::vector<std::string_view> groups{""};
  for (const Option& o : c.options) {
    if (std::find(groups.begin(), groups.end(), o.group) == groups.end()) groups.push_back(o.group);
  }
  for (const std::string_view group : groups) {
    s += "\n";
    if (!group.empty()) s += std::string(group) + ":\n";
    for (const Option& o : c.options) {
      if (o.group != group) continue;
      std::string line = "  " + shown(o);
      line.resize(width + 4, ' ');
      s += line + std::string(o.help) + (o.repeatable ? " (repeatable)" : "") + "\n";
    }
    if (group.empty()) {
      std::string help = "  -h, --help";
      help.resize(std::max(width + 4, help.size() + 2), ' ');
      s += help + "show this help\n";
    }
  }
  s += "\nexit status: " + std::string(c.exit_status) + "\n";
  return s;
}

}  // namespace warden::cli
