// The unified diff behind `warden fmt --check`.
#include <catch2/catch.hpp>

#include "format/diff.hpp"

using warden::format::unified_diff;

TEST_CASE("equal texts have no diff", "[format][diff]") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y").empty());
  CHECK(unified_diff("", "", "x", "y").empty());
}

TEST_CASE("a changed line in the middle, with three lines of context", "[format][diff]") {
  const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const std::string b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  CHECK(unified_diff(a, b, "a.warden", "b.warden") ==
        "--- a.warden\n+++ b.warden\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("insertions, deletions and separate hunks", "[format][diff]") {
  CHECK(unified_diff("a\nc\n", "a\nb\nc\n", "x", "x") == "--- x\n+++ x\n@@ -1,2 +1,3 @@\n a\n+b\n c\n");
  CHECK(unified_diff("a\nb\nc\n", "a\nc\n", "x", "x") == "--- x\n+++ x\n@@ -1,3 +1,2 @@\n a\n-b\n c\n");
  CHECK(unified_diff("", "a\n", "x", "x") == "--- x\n+++ x\n@@ -0,0 +1,1 @@\n+a\n");
  CHECK(unified_diff("a\n", "", "x", "x") == "--- x\n+++ x\n@@ -1,1 +0,0 @@\n-a\n");
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 19 ? "x" : std::to_string(i)) + "\n";
  }
  CHECK(unified_diff(a, b, "x", "x") ==
        "--- x\n+++ x\n@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+x\n 20\n");
}

TEST_CASE("a missing final newline is marked", "[format][diff]") {
  CHECK(unified_diff("a", "a\n", "x", "x") == "--- x\n+++ x\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+a\n");
}
