// Hostile and broken policy text through `warden check` (docs/reliability.md):
// terminal escape sequences, a 5 MB name, a 5 MB line of junk, NUL bytes,
// invalid UTF-8, 200,000-deep nesting, symbolic-link loops, 20,000 errors in
// one file, a byte order mark and an empty policy. Each gives a located
// diagnostic with its code, no raw control byte on the terminal, bounded
// output, and returns (CTest's timeout catches a hang).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "cli/commands.hpp"

namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "warden-robust.XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path path_;
};

struct Run {
  int status = 0;
  std::string output;  // stdout and stderr
};

Run check(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Run r;
  r.status = warden::cli::run_command("check", args, out, err);
  r.output = out.str() + err.str();
  return r;
}

// No byte a terminal would act on: C0 controls other than line feed and tab,
// DEL, and the C1 controls as UTF-8 (U+0080 to U+009F).
bool terminal_safe(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      return false;
    }
  }
  return true;
}

// `file:line:col: error[CODE]` for a file of `dir`.
bool located(const std::string& output, const std::string& code) {
  return std::regex_search(output, std::regex("[^ \n]+\\.warden:[0-9]+:[0-9]+: error\\[" + code + "\\]"));
}

const std::string kResource = "resource doc { actions read; }\n";

}  // namespace

TEST_CASE("escape sequences in a policy reach no terminal", "[cli][robust]") {
  TempDir dir;
  const auto file = dir.write("p.warden", kResource + "# \x1b[2J\x1b[H\x1b]0;pwned\x07 cleared\nallow r: anyone to read on doc;\n");
  for (const char* format : {"text", "json"}) {
    INFO(format);
    const Run r = check({"--format", format, file.string()});
    CHECK(r.status == 1);
    CHECK(terminal_safe(r.output));
    CHECK(r.output.find("E0007") != std::string::npos);
  }
  const Run text = check({file.string()});
  CHECK(located(text.output, "E0007"));
  CHECK(text.output.find("\\x1b[2J") != std::string::npos);  // shown, escaped
}

TEST_CASE("C1 controls and bidirectional overrides are refused and shown escaped", "[cli][robust]") {
  TempDir dir;
  const auto c1 = dir.write("c1.warden", kResource + "allow r: anyone to read on doc; # \xc2\x9b" "2J\n");
  const auto bidi = dir.write("bidi.warden", kResource + "allow r: anyone to read on doc; # \xe2\x80\xae reversed\n");
  for (const auto& f : {c1, bidi}) {
    const Run r = check({f.string()});
    CHECK(r.status == 1);
    CHECK(located(r.output, "E0007"));
    CHECK(terminal_safe(r.output));
  }
}

TEST_CASE("a 5 MB name gives one located diagnostic and little output", "[cli][robust]") {
  TempDir dir;
  const auto file = dir.write("long.warden", "scope " + std::string(5 << 20, 'a') + ";\n");
  const Run r = check({file.string()});
  CHECK(r.status == 1);
  CHECK(located(r.output, "E0107"));
  CHECK(r.output.size() < 64 * 1024);
  CHECK(r.output.find("…") != std::string::npos);  // the echoed line is cut
}

TEST_CASE("a 5 MB line of junk prints under 64 KB", "[cli][robust]") {
  TempDir dir;
  std::string line = kResource + "allow r: anyone to read on doc when ";
  while (line.size() < (5u << 20)) line += "x + ) ; { ( ";
  const auto file = dir.write("junk.warden", line + "\n");
  const Run r = check({file.string()});
  CHECK(r.status == 1);
  CHECK(located(r.output, "E0101"));
  CHECK(r.output.size() < 64 * 1024);
  CHECK(terminal_safe(r.output));
}

TEST_CASE("NUL bytes are a located error", "[cli][robust]") {
  TempDir dir;
  const auto file = dir.write("nul.warden", kResource + std::string("scope a;\0\0\0scope b;\n", 20));
  const Run r = check({file.string()});
  CHECK(r.status == 1);
  CHECK(std::regex_search(r.output, std::regex("nul\\.warden:2:9: error\\[E0007\\]")));
  CHECK(r.output.find("\\x00") != std::string::npos);
  CHECK(terminal_safe(r.output));
}

TEST_CASE("invalid UTF-8 is a located error", "[cli][robust]") {
  TempDir dir;
  const auto file = dir.write("latin1.warden", kResource + "# caf\xe9 cr\xe8me\nallow r: anyone to read on doc;\n");
  const Run r = check({file.string()});
  CHECK(r.status == 1);
  CHECK(std::regex_search(r.output, std::regex("latin1\\.warden:2:6: error\\[E0006\\].*byte 0xe9")));
  CHECK(r.output.find("\\xe9") != std::string::npos);
  // JSON output stays valid UTF-8.
  const Run json = check({"--format", "json", file.string()});
  for (const char c : json.output) CHECK(static_cast<unsigned char>(c) < 0x80);
}

TEST_CASE("200,000-deep nesting is a located error, not a stack overflow", "[cli][robust]") {
  TempDir dir;
  const std::size_t depth = 200000;
  const auto parens = dir.write("parens.warden", kResource + "allow r: anyone to read on doc when " + std::string(depth, '(') +
                                                     "true" + std::string(depth, ')') + ";\n");
  std::string nots;
  for (std::size_t i = 0; i < depth; ++i) nots += "not ";
  const auto unary = dir.write("nots.warden", kResource + "allow r: anyone to read on doc when " + nots + "true;\n");
  for (const auto& f : {parens, unary}) {
    INFO(f.filename());
    const Run r = check({f.string()});
    CHECK(r.status == 1);
    CHECK(located(r.output, "E0106"));
    CHECK(r.output.size() < 64 * 1024);
  }
}

TEST_CASE("symbolic link loops are reported with the path", "[cli][robust]") {
  TempDir dir;
  const fs::path policy = dir.path() / "policy";
  fs::create_directory(policy);
  std::ofstream(policy / "ok.warden") << kResource << "allow r: anyone to read on doc;\n";
  fs::create_symlink("b.warden", policy / "a.warden");
  fs::create_symlink("a.warden", policy / "b.warden");
  fs::create_directory_symlink(".", policy / "again");  // a directory containing itself
  const Run r = check({policy.string()});
  CHECK(r.status == 2);
  CHECK(std::regex_search(r.output, std::regex("error\\[E0001\\]: cannot read `[^`]*a\\.warden`: too many levels of symbolic links")));
  CHECK(r.output.size() < 64 * 1024);
  // A path on the command line that is a loop itself.
  const Run direct = check({(policy / "a.warden").string()});
  CHECK(direct.status == 2);
  CHECK(direct.output.find("too many levels of symbolic links") != std::string::npos);
}

TEST_CASE("20,000 errors in one file give bounded output and the count", "[cli][robust]") {
  TempDir dir;
  std::string text = kResource;
  for (int i = 0; i < 20000; ++i) text += "allow r" + std::to_string(i) + ": role nosuch" + std::to_string(i) + " to read on doc;\n";
  const auto file = dir.write("many.warden", text);
  const Run r = check({file.string()});
  CHECK(r.status == 1);
  CHECK(located(r.output, "E0202"));
  CHECK(r.output.size() < 256 * 1024);
  CHECK(std::regex_search(r.output, std::regex("[0-9]+ more diagnostics not shown \\(at most 200 per run\\)")));
}

TEST_CASE("a UTF-8 byte order mark is accepted", "[cli][robust]") {
  TempDir dir;
  const auto with = dir.write("bom.warden", "\xEF\xBB\xBF" + kResource + "allow r: anyone to read on doc;\n");
  const Run r = check({with.string()});
  INFO(r.output);
  CHECK(r.status == 0);
  // Positions on line 1 do not count it.
  const auto broken = dir.write("bom_broken.warden", "\xEF\xBB\xBFscope ;\n");
  CHECK(std::regex_search(check({broken.string()}).output, std::regex("bom_broken\\.warden:1:7: error\\[E0101\\]")));
}

TEST_CASE("a policy that declares nothing is an error", "[cli][robust]") {
  TempDir dir;
  const auto file = dir.write("empty.warden", "# nothing here yet\n");
  const Run r = check({file.string()});
  CHECK(r.status == 1);
  CHECK(located(r.output, "E0005"));
  const auto named = dir.write("named.warden", "policy named;\n");
  CHECK(located(check({named.string()}).output, "E0005"));
}
