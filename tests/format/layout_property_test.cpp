// Property test: the layout depends on the policy, not on how it was typed.
// Every policy and fixture file is re-spaced at random — each run of
// whitespace between two tokens replaced by one space, a newline, or a
// newline and some indentation — and must format to exactly what the
// original formats to. Runs that carry meaning for comments (next to a
// comment) or blank lines (which the formatter keeps) are left alone.
// Deterministic: a fixed seed.
#include <catch2/catch.hpp>
#include <random>

#include "tests/format/format_helpers.hpp"

using namespace warden;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string respace(const std::string& text, std::mt19937& rng) {
  static const char* const kChoices[] = {" ", "\n", "\n    ", "   ", "\n\t"};
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {  // a string literal, copied as is
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
      j = std::min(text.size(), j + 1);
      out.append(text, i, j - i);
      i = j;
    } else if (c == '#') {  // a comment, with the newline that ends it
      std::size_t j = text.find('\n', i);
      j = j == std::string::npos ? text.size() : j + 1;
      out.append(text, i, j - i);
      i = j;
      while (i < text.size() && is_space(text[i])) out += text[i++];  // and the run after it
    } else if (is_space(c)) {
      std::size_t j = i;
      while (j < text.size() && is_space(text[j])) ++j;
      const std::string run = text.substr(i, j - i);
      const bool blank = run.find('\n') != run.rfind('\n');
      const bool at_edge = i == 0 || j == text.size() || text[j] == '#';
      out += blank || at_edge ? run : kChoices[rng() % std::size(kChoices)];
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the layout does not depend on how the input was spaced", "[format][property]") {
  std::mt19937 rng(20260301);
  auto files = test::warden_files("policies");
  for (auto& f : test::warden_files("fixtures", "fixtures/diagnostics")) files.push_back(f);
  files.push_back("tests/format/data/messy.warden");
  for (const auto& f : files) {
    INFO(f.generic_string());
    const std::string text = test::read_file(f);
    const std::string expected = test::fmt(text);
    for (int round = 0; round < 10; ++round) {
      const std::string variant = respace(text, rng);
      INFO("variant:\n" << variant);
      CHECK(test::fmt(variant) == expected);
    }
  }
}
