// The hostile-path table: paths a caller may craft to reach one endpoint
// through a path Warden would route elsewhere (traversal, double encoding,
// encoded slashes, overlong UTF-8, NUL, mixed-case escapes, `;` parameters,
// empty and dot segments, trailing slashes), each with its outcome pinned
// under the normalization options of the policy's `http` block
// (docs/language.md, "Path normalization").
//
// For every row, three readings must agree: the normalizer itself
// (runtime/path_normalize.hpp), a decision of the Engine over the endpoints
// of fixtures/http/hostile (the code, the normalized path, the endpoint and
// the id a path parameter received), and the reference normalizer
// (reference_http.hpp). Then the laws, on the table and on random paths:
// normalization is idempotent, a routed path's normalized form matches the
// endpoint's pattern, and a path that reaches an endpoint normalizes to a
// path that reaches the same endpoint with the same parameters — so no path
// routes to an endpoint the normalized path does not match.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <sstream>

#include "runtime/path_normalize.hpp"
#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/policy_variants.hpp"
#include "tests/runtime/random_world.hpp"
#include "tests/runtime/reference_evaluator.hpp"
#include "tests/runtime/reference_http.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using namespace warden::test;
using runtime::NormalizedPath;
using runtime::PathError;
using Http = table::HttpRow;

namespace {

constexpr const char* kPolicy = "fixtures/http/hostile";

// One set of normalization options: the `http` block added to the policy,
// and the same options as the table row the normalizer reads.
struct Options {
  std::string block;
  Http row;
};

Options options(const std::string& name) {
  Options o;
  if (name == "default") return o;
  static const std::map<std::string, std::pair<std::string, void (*)(Http&)>> kOptions = {
      {"encoded_slash decode", {"encoded_slash decode;", [](Http& h) { h.encoded_slash = Http::EncodedSlash::Decode; }}},
      {"encoded_slash keep", {"encoded_slash keep;", [](Http& h) { h.encoded_slash = Http::EncodedSlash::Keep; }}},
      {"semicolons strip", {"semicolons strip;", [](Http& h) { h.semicolons = Http::Semicolons::Strip; }}},
      {"semicolons keep", {"semicolons keep;", [](Http& h) { h.semicolons = Http::Semicolons::Keep; }}},
      {"empty_segments keep", {"empty_segments keep;", [](Http& h) { h.empty_segments = Http::EmptySegments::Keep; }}},
      {"empty_segments reject", {"empty_segments reject;", [](Http& h) { h.empty_segments = Http::EmptySegments::Reject; }}},
      {"dot_segments reject", {"dot_segments reject;", [](Http& h) { h.dot_segments = Http::DotSegments::Reject; }}},
      {"trailing_slash ignore", {"trailing_slash ignore;", [](Http& h) { h.trailing_slash = Http::TrailingSlash::Ignore; }}},
      {"empty_segments keep, trailing_slash ignore",
       {"empty_segments keep;\n  trailing_slash ignore;", [](Http& h) {
          h.empty_segments = Http::EmptySegments::Keep;
          h.trailing_slash = Http::TrailingSlash::Ignore;
        }}},
      {"encoded_slash decode, semicolons strip",
       {"encoded_slash decode;\n  semicolons strip;", [](Http& h) {
          h.encoded_slash = Http::EncodedSlash::Decode;
          h.semicolons = Http::Semicolons::Strip;
        }}},
  };
  const auto& [text, apply] = kOptions.at(name);
  o.block = "http {\n  " + text + "\n}\n";
  apply(o.row);
  return o;
}

// The policy under one set of options, compiled for the Engine and parsed
// for the reference.
struct Subject {
  Options opts;
  std::unique_ptr<PolicyVariant> variant;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<ReferenceEvaluator> reference;

  const ast::HttpDecl* http() const {
    return reference->policy().https.empty() ? nullptr : &reference->policy().https.front();
  }
};

Subject& subject(const std::string& name) {
  static std::map<std::string, Subject> subjects;
  auto it = subjects.find(name);
  if (it != subjects.end()) return it->second;
  Subject s;
  s.opts = options(name);
  s.variant = std::make_unique<PolicyVariant>(kPolicy, s.opts.block);
  s.engine = std::make_unique<Engine>();
  load_policy(*s.engine, s.variant->dir());
  s.reference = std::make_unique<ReferenceEvaluator>(s.variant->dir());
  return subjects.emplace(name, std::move(s)).first->second;
}

// An anonymous GET of `path`: every endpoint of the policy admits it.
Decision get(const Subject& s, const std::string& path) {
  TestRequest r;
  r.method = "GET";
  r.path = path;
  r.time = 1772409600;
  return s.engine->decide(r.view());
}

// The endpoint pattern a decision was routed to, "" when none.
std::string routed_pattern(const Decision& d) {
  if (d.code.view() == "INVALID_PATH" || d.code.view() == "NO_MATCHING_ENDPOINT") return "";
  const std::string endpoint(d.endpoint.view());
  return endpoint.substr(endpoint.find(' ') + 1);
}

// Does a pattern ("/files/{name}", "/public/**") match the normalized
// segments? Written again here, from the pattern text.
bool pattern_matches(const std::string& pattern, const std::vector<std::string>& segs) {
  std::vector<std::string> parts;
  for (std::size_t pos = 1; pos <= pattern.size();) {
    const std::size_t end = std::min(pattern.find('/', pos), pattern.size());
    if (end > pos) parts.push_back(pattern.substr(pos, end - pos));
    pos = end + 1;
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "**") return true;
    if (i >= segs.size()) return false;
    const bool wildcard = parts[i] == "*" || parts[i].front() == '{';
    if (wildcard ? segs[i].empty() : parts[i] != segs[i]) return false;
  }
  return parts.size() == segs.size();
}

// The laws every path obeys, under one set of options: the normalizer and
// the reference agree; the normalized path normalizes to itself; a routed
// path's normalized form matches the endpoint's pattern and, requested
// itself, reaches the same endpoint with the same id. Returns what broke.
std::string check_laws(const Subject& s, const std::string& raw) {
  NormalizedPath n;
  const PathError error = n.normalize(raw, s.opts.row);
  const RefPath ref = reference_normalize(raw, s.http());
  if ((error == PathError::None) != ref.ok) {
    return std::string("normalizer ") + runtime::path_error_text(error) + ", reference " + (ref.ok ? ref.text : ref.error);
  }
  const Decision d = get(s, raw);
  if (error != PathError::None) return d.code.view() == "INVALID_PATH" ? "" : "refused path decided " + d.code.str();
  if (n.str() != ref.text) return "normalized `" + n.str() + "`, reference `" + ref.text + "`";
  for (std::size_t i = 0; i < n.count(); ++i) {
    if (n.segment(i) != ref.segments[i] || n.value(i) != ref.values[i]) return "segment " + std::to_string(i) + " differs";
  }
  if (d.path.view() != ref.text) return "decision path `" + d.path.str() + "`";
  NormalizedPath again;
  if (again.normalize(n.str(), s.opts.row) != PathError::None || again.str() != n.str()) {
    return "not idempotent: `" + n.str() + "` normalizes to `" + again.str() + "`";
  }
  const std::string pattern = routed_pattern(d);
  if (pattern.empty()) return "";
  if (!pattern_matches(pattern, ref.segments)) return "routed to " + pattern + ", which `" + ref.text + "` does not match";
  const Decision direct = get(s, ref.text);
  if (direct.endpoint.view() != d.endpoint.view() || direct.resource_id.view() != d.resource_id.view()) {
    return "the normalized path reaches " + direct.endpoint.str() + " (id `" + direct.resource_id.str() + "`), not " +
           d.endpoint.str() + " (id `" + d.resource_id.str() + "`)";
  }
  return "";
}

// A row: a raw path under named options, refused with `error`, or
// normalized to `normalized` and routed to `endpoint` ("" for none) where a
// path parameter received `id` ("" for none).
struct Row {
  const char* options;
  std::string raw;
  PathError error;
  std::string normalized;
  const char* endpoint;
  const char* id;
};

Row refused(const char* opts, std::string raw, PathError e) { return {opts, std::move(raw), e, "", "", ""}; }
Row routed(const char* opts, std::string raw, std::string normalized, const char* endpoint, const char* id = "") {
  return {opts, std::move(raw), PathError::None, std::move(normalized), endpoint, id};
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

const char* D = "default";

const std::vector<Row>& table_rows() {
  static const std::vector<Row> rows = {
      // Plain routing, for reference.
      routed(D, "/", "/", "/"),
      routed(D, "/admin", "/admin", "/admin"),
      routed(D, "/files/report", "/files/report", "/files/{name}", "report"),
      // Traversal: resolved before routing, never above the root.
      routed(D, "/public/../admin", "/admin", "/admin"),
      routed(D, "/public/x/../../admin/users", "/admin/users", "/admin/users"),
      routed(D, "/public/%2e%2e/admin", "/admin", "/admin"),
      routed(D, "/public/%2E%2E/admin", "/admin", "/admin"),
      routed(D, "/public/.%2e/admin", "/admin", "/admin"),
      routed(D, "/admin/./users", "/admin/users", "/admin/users"),
      routed(D, "/admin/%2e/users", "/admin/users", "/admin/users"),
      refused(D, "/..", PathError::AboveRoot),
      refused(D, "/../admin", PathError::AboveRoot),
      refused(D, "/public/../../admin", PathError::AboveRoot),
      refused(D, "/%2e%2e/admin", PathError::AboveRoot),
      routed(D, "/files/..", "/", "/"),
      // A parameter never receives `.` or `..`: they are resolved first.
      routed(D, "/files/x/%2e%2e", "/files/", ""),
      routed(D, "/files/%2e%2e", "/", "/"),
      routed(D, "/api/%2e/info", "/api/info", ""),
      // Double encoding: decoded once, so `%252e` stays text, not a dot.
      routed(D, "/public/%252e%252e/admin", "/public/%252e%252e/admin", "/public/**"),
      routed(D, "/files/%252e%252e", "/files/%252e%252e", "/files/{name}", "%2e%2e"),
      routed(D, "/files/%25", "/files/%25", "/files/{name}", "%"),
      // Encoded slashes and backslashes: refused by default …
      refused(D, "/public%2F..%2Fadmin", PathError::EncodedSlash),
      refused(D, "/files/a%2fb", PathError::EncodedSlash),
      refused(D, "/files/a%5Cb", PathError::EncodedSlash),
      refused(D, "/api/x%2F..%2F..%2Fadmin/info", PathError::EncodedSlash),
      // … separators when the upstream decodes them, then resolved …
      routed("encoded_slash decode", "/public%2F..%2Fadmin", "/admin", "/admin"),
      routed("encoded_slash decode", "/files/a%2Fb", "/files/a/b", ""),
      routed("encoded_slash decode", "/files%5Creport", "/files/report", "/files/{name}", "report"),
      // … or text inside the segment when it keeps them.
      routed("encoded_slash keep", "/files/a%2fb", "/files/a%2Fb", "/files/{name}", "a/b"),
      routed("encoded_slash keep", "/public%2F..%2Fadmin", "/public%2F..%2Fadmin", ""),
      routed("encoded_slash keep", "/files/..%5C..%5Cadmin", "/files/..%5C..%5Cadmin", "/files/{name}", "..\\..\\admin"),
      // Unreserved characters are decoded; the case of other escapes is
      // normalized; routing is case-sensitive.
      routed(D, "/%61dmin", "/admin", "/admin"),
      routed(D, "/%61%64%6D%69%6E/%75sers", "/admin/users", "/admin/users"),
      routed(D, "/api/%7Euser/info", "/api/~user/info", "/api/{id}/info", "~user"),
      routed(D, "/files/%c3%a9t%C3%A9", "/files/%C3%A9t%C3%A9", "/files/{name}", "\xC3\xA9t\xC3\xA9"),
      routed(D, "/files/%e2%80%ae", "/files/%E2%80%AE", "/files/{name}", "\xE2\x80\xAE"),
      routed(D, "/files/a%20b", "/files/a%20b", "/files/{name}", "a b"),
      routed(D, "/ADMIN", "/ADMIN", ""),
      routed(D, "/admin%3Bx=1", "/admin%3Bx=1", ""),
      // Overlong, surrogate, out-of-range and truncated UTF-8.
      refused(D, "/files/%C0%AF", PathError::BadUtf8),
      refused(D, "/files/%C0%AE%C0%AE", PathError::BadUtf8),
      refused(D, "/files/%E0%80%AF", PathError::BadUtf8),
      refused(D, "/files/%F0%80%80%AF", PathError::BadUtf8),
      refused(D, "/files/%ED%A0%80", PathError::BadUtf8),
      refused(D, "/files/%F4%90%80%80", PathError::BadUtf8),
      refused(D, "/files/%C3", PathError::BadUtf8),
      refused(D, "/files/%FF", PathError::BadUtf8),
      // NUL and other control characters, raw or decoded.
      refused(D, "/admin%00", PathError::ControlCharacter),
      refused(D, "/files/%00.txt", PathError::ControlCharacter),
      refused(D, "/files/%0d%0aSet-Cookie:x", PathError::ControlCharacter),
      refused(D, "/files/%7F", PathError::ControlCharacter),
      refused(D, "/files/%C2%85", PathError::ControlCharacter),
      refused(D, std::string("/admin\0/x", 9), PathError::BadCharacter),
      // Malformed escapes.
      refused(D, "/admin%", PathError::BadEscape),
      refused(D, "/admin%2", PathError::BadEscape),
      refused(D, "/admin%zz", PathError::BadEscape),
      refused(D, "/admin%%30", PathError::BadEscape),
      refused(D, "/files/%u002e", PathError::BadEscape),
      // Bytes that are not path characters, and paths that are not paths.
      refused(D, "/admin users", PathError::BadCharacter),
      refused(D, "/admin\\users", PathError::BadCharacter),
      refused(D, "/admin?x=1", PathError::BadCharacter),
      refused(D, "/admin#top", PathError::BadCharacter),
      refused(D, "/caf\xC3\xA9", PathError::BadCharacter),
      refused(D, "admin", PathError::NotAbsolute),
      refused(D, "", PathError::NotAbsolute),
      refused(D, "/" + repeat("a", 4096), PathError::TooLong),
      refused(D, repeat("/a", 33), PathError::TooManySegments),
      routed(D, repeat("/a", 32), repeat("/a", 32), ""),
      // `;` path parameters: refused, cut off (Tomcat's reading: `..;`
      // is `..`), or kept as text.
      refused(D, "/admin;jsessionid=1", PathError::Semicolon),
      refused(D, "/public/..;/admin", PathError::Semicolon),
      routed("semicolons strip", "/admin;jsessionid=1", "/admin", "/admin"),
      routed("semicolons strip", "/public/..;/admin", "/admin", "/admin"),
      routed("semicolons strip", "/files/report;v=2", "/files/report", "/files/{name}", "report"),
      routed("semicolons keep", "/admin;x", "/admin;x", ""),
      routed("semicolons keep", "/files/a;b", "/files/a;b", "/files/{name}", "a;b"),
      // Empty segments: merged, kept or refused.
      routed(D, "//admin", "/admin", "/admin"),
      routed(D, "/admin//users", "/admin/users", "/admin/users"),
      routed(D, "/api//x//info", "/api/x/info", "/api/{id}/info", "x"),
      routed("empty_segments keep", "/admin//users", "/admin//users", ""),
      routed("empty_segments keep", "/files//x", "/files//x", ""),
      refused("empty_segments reject", "//admin", PathError::EmptySegment),
      routed("empty_segments reject", "/admin/", "/admin/", ""),
      // Dot segments refused outright.
      refused("dot_segments reject", "/admin/./users", PathError::DotSegment),
      refused("dot_segments reject", "/public/%2e%2e/admin", PathError::DotSegment),
      routed("dot_segments reject", "/files/%252e", "/files/%252e", "/files/{name}", "%2e"),
      // Trailing slashes: part of the path (strict), or dropped.
      routed(D, "/admin/", "/admin/", ""),
      routed(D, "/admin/users/..", "/admin/", ""),
      routed(D, "/admin/.", "/admin/", ""),
      routed(D, "/public/", "/public/", "/public/**"),
      routed(D, "/files/", "/files/", ""),
      routed("trailing_slash ignore", "/admin/", "/admin", "/admin"),
      routed("trailing_slash ignore", "/admin/users/..", "/admin", "/admin"),
      routed("trailing_slash ignore", "/files/x/", "/files/x", "/files/{name}", "x"),
      // Kept empty segments before an ignored trailing slash go with it, so
      // the normalized path reads back the same.
      routed("empty_segments keep, trailing_slash ignore", "/admin//", "/admin", "/admin"),
      routed("empty_segments keep, trailing_slash ignore", "/admin//x/..", "/admin", "/admin"),
      routed("empty_segments keep, trailing_slash ignore", "/files//x", "/files//x", ""),
      // Both at once: the `;` parameter is cut off the raw segment first,
      // then `%2F` splits what is left.
      routed("encoded_slash decode, semicolons strip", "/public%2F..%2Fadmin;v=1", "/admin", "/admin"),
      routed("encoded_slash decode, semicolons strip", "/public/..;%2F/x/admin", "/x/admin", ""),
  };
  return rows;
}

std::string describe(const Row& row) {
  std::string shown;
  for (const char c : row.raw.substr(0, 80)) {
    if (static_cast<unsigned char>(c) < 0x20) shown += "\\x" + std::to_string(static_cast<unsigned char>(c));
    else shown += c;
  }
  return "`" + shown + (row.raw.size() > 80 ? "…" : "") + "` (" + row.options + ")";
}

}  // namespace

TEST_CASE("the hostile-path table: each path's outcome is pinned", "[runtime][http][paths]") {
  const auto& rows = table_rows();
  CHECK(rows.size() >= 40);
  for (const Row& row : rows) {
    INFO(describe(row));
    const Subject& s = subject(row.options);
    NormalizedPath n;
    const PathError error = n.normalize(row.raw, s.opts.row);
    CHECK(runtime::path_error_text(error) == std::string(runtime::path_error_text(row.error)));
    const Decision d = get(s, row.raw);
    if (row.error != PathError::None) {
      CHECK(d.outcome == Outcome::Deny);
      CHECK(d.code.view() == "INVALID_PATH");
      if (row.raw.size() < 100) CHECK_THAT(d.message.str(), Catch::Contains(runtime::path_error_text(row.error)));
    } else {
      CHECK(n.str() == row.normalized);
      CHECK(d.path.view() == row.normalized);
      if (row.raw.size() <= 256) CHECK(d.raw_path.view() == row.raw);
      CHECK(routed_pattern(d) == row.endpoint);
      if (*row.endpoint == '\0') CHECK(d.code.view() == "NO_MATCHING_ENDPOINT");
      else CHECK(d.outcome == Outcome::Allow);
      CHECK(d.resource_id.view() == row.id);
    }
    CHECK(check_laws(s, row.raw) == "");
  }
}

TEST_CASE("an explanation shows the raw and the normalized path", "[runtime][http][paths]") {
  const Decision d = get(subject(D), "/public/%2e%2e//admin/users/");
  CHECK(d.raw_path.view() == "/public/%2e%2e//admin/users/");
  CHECK(d.path.view() == "/admin/users/");
  CHECK(d.code.view() == "NO_MATCHING_ENDPOINT");
  CHECK(d.endpoint.view() == "GET /admin/users/");
}

TEST_CASE("random paths obey the normalization laws under every option", "[runtime][http][paths][property]") {
  // Pieces a path is built of: segments, separators, dots, and escapes a
  // normalizer could misread.
  static const std::vector<std::string> kPieces = {
      "/",    "/",    "/",      "admin", "users", "public", "files", "api",   "info", "x",      ".",      "..",
      "%2e",  "%2E",  "%2e%2e", "%2F",   "%2f",   "%5C",    "%25",   "%252e", "%41",  "%61",    "%64min", ";",
      ";x=1", "%3B",  "%00",    "%C3%A9", "%c3%a9", "%C0%AF", "%",    "%g1",   "~",    "%7e",    "a b",    "\xC3"};
  static const std::vector<std::string> kPaths = {"/admin", "/admin/users", "/files/x", "/api/x/info", "/public/x/y"};
  static const std::vector<std::string> kOptionNames = {
      "default",          "encoded_slash decode", "encoded_slash keep",  "semicolons strip",    "semicolons keep",
      "empty_segments keep", "empty_segments reject", "dot_segments reject", "trailing_slash ignore",
      "empty_segments keep, trailing_slash ignore", "encoded_slash decode, semicolons strip"};
  Rng rng(0x9a7f5);
  std::size_t checked = 0, routed_paths = 0, refused_paths = 0;
  for (const std::string& name : kOptionNames) {
    const Subject& s = subject(name);
    for (int i = 0; i < 3000; ++i) {
      // Half the paths are an endpoint's path with pieces spliced in, the
      // rest pieces alone or single bytes a parser could stumble on.
      std::string raw;
      if (rng.chance(15)) {
        static const std::string kBytes("/%.;2eEfF5cC0aA~ ?#\\\x00\x7f\xc3\xa9\x80\xff", 26);
        raw = rng.chance(90) ? "/" : "";
        for (std::size_t k = rng.below(24); k > 0; --k) raw += kBytes[rng.below(kBytes.size())];
      } else if (rng.chance(55)) {
        raw = rng.pick(kPaths);
        for (std::size_t k = 1 + rng.below(3); k > 0; --k) raw.insert(1 + rng.below(raw.size()), rng.pick(kPieces));
      } else {
        raw = rng.chance(95) ? "/" : "";
        for (std::size_t k = 1 + rng.below(8); k > 0; --k) raw += rng.pick(kPieces);
      }
      const std::string broken = check_laws(s, raw);
      INFO("`" << raw << "` (" << name << ")");
      REQUIRE(broken == "");
      ++checked;
      const Decision d = get(s, raw);
      if (d.code.view() == "INVALID_PATH") ++refused_paths;
      else if (!routed_pattern(d).empty()) ++routed_paths;
      // The administrative endpoints are reached only by paths that
      // normalize to exactly their own.
      if (routed_pattern(d) == "/admin") CHECK(d.path.view() == "/admin");
      if (routed_pattern(d) == "/admin/users") CHECK(d.path.view() == "/admin/users");
    }
  }
  // The random paths exercise both sides.
  CHECK(routed_paths > checked / 40);
  CHECK(refused_paths > checked / 20);
}
