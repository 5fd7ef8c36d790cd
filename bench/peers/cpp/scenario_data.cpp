// Reading scenario.tsv and requests.tsv (see scenario_data.hpp).
#include "scenario_data.hpp"

#include <charconv>
#include <fstream>
#include <stdexcept>
#include <string_view>

namespace warden::peers {
namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

class LineReader {
 public:
  explicit LineReader(std::string path) : path_(std::move(path)), in_(path_) {
    if (!in_) throw std::runtime_error("cannot read `" + path_ + "`");
  }
  bool next(std::vector<std::string>& fields) {
    std::string line;
    while (std::getline(in_, line)) {
      ++number_;
      if (line.empty()) continue;
      fields = split(line, '\t');
      return true;
    }
    return false;
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw std::runtime_error(path_ + ":" + std::to_string(number_) + ": " + message);
  }
  void want(const std::vector<std::string>& fields, std::size_t n) const {
    if (fields.size() != n) fail("`" + fields[0] + "` needs " + std::to_string(n - 1) + " fields");
  }
  std::int64_t number(const std::string& text) const {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) fail("not a number: `" + text + "`");
    return value;
  }

 private:
  std::string path_;
  std::ifstream in_;
  std::size_t number_ = 0;
};

}  // namespace

Scenario read_scenario(const std::string& dir) {
  LineReader in(dir + "/scenario.tsv");
  Scenario s;
  bool have_now = false;
  std::vector<std::string> f;
  while (in.next(f)) {
    const std::string& kind = f[0];
    if (kind == "now") {
      in.want(f, 2);
      s.now = in.number(f[1]);
      have_now = true;
    } else if (kind == "org") {
      in.want(f, 2);
      s.orgs.push_back(f[1]);
    } else if (kind == "team") {
      in.want(f, 3);
      s.teams.push_back({f[1], f[2]});
    } else if (kind == "user") {
      in.want(f, 4);
      s.users.push_back({f[1], f[2], split(f[3], ',')});
    } else if (kind == "role") {
      in.want(f, 4);
      s.roles.push_back({f[1], f[2], f[3] == "*" ? std::nullopt : std::optional<std::string>(f[3])});
    } else if (kind == "key") {
      in.want(f, 4);
      s.keys.push_back({f[1], f[2], split(f[3], ',')});
    } else if (kind == "model") {
      in.want(f, 5);
      s.models.push_back({f[1], f[2], f[3], f[4]});
    } else if (kind == "grant") {
      in.want(f, 8);
      GrantRecord g{f[1], f[2], f[3], f[4], f[5], std::nullopt, f[7] == "1"};
      if (f[6] != "-") g.expires_at = in.number(f[6]);
      s.grants.push_back(std::move(g));
    } else {
      in.fail("unknown record `" + kind + "`");
    }
  }
  if (!have_now) in.fail("missing `now` record");
  return s;
}

std::vector<HttpRequest> read_requests(const std::string& dir) {
  LineReader in(dir + "/requests.tsv");
  std::vector<HttpRequest> requests;
  std::vector<std::string> f;
  while (in.next(f)) {
    if (f.size() != 3) in.fail("a request is: key, method, path");
    requests.push_back({f[0], f[1], f[2]});
  }
  return requests;
}

}  // namespace warden::peers
