// Comments survive formatting: leading comments stay before what follows
// them, trailing comments at the end of their line (aligned in runs),
// comments inside blocks stay inside, and none is ever lost.
#include <catch2/catch.hpp>

#include "tests/format/format_helpers.hpp"

using warden::test::comments_of;
using warden::test::fmt;

namespace {

void check(const std::string& input, const std::string& expected) {
  const std::string once = fmt(input);
  CHECK(once == expected);
  CHECK(fmt(once) == once);
  CHECK(comments_of(once) == comments_of(input));
}

}  // namespace

TEST_CASE("comments in the scanner", "[format][comments]") {
  const std::string text = "role a; # one\n  # two\nendpoint GET \"/#not\" { public; } #three";
  const auto cs = warden::grammar::scan_comments(text);
  REQUIRE(cs.size() == 3);
  CHECK(cs[0].text(text) == "# one");
  CHECK_FALSE(cs[0].own_line);
  CHECK(cs[1].text(text) == "# two");
  CHECK(cs[1].own_line);
  CHECK(cs[1].line == 2);
  CHECK(cs[2].text(text) == "#three");
}

TEST_CASE("leading comments stay before their declaration", "[format][comments]") {
  check("# file header\n\n# about a\nrole a;\n# about b\n# more\nrole b;\n",
        "# file header\n\n# about a\nrole a;\n# about b\n# more\nrole b;\n");
  // A group boundary puts the blank line before the comments, not between them and the declaration.
  check("role a;\n# scopes\nscope s;\n", "role a;\n\n# scopes\nscope s;\n");
  check("   # indented\nrole a;", "# indented\nrole a;\n");
}

TEST_CASE("trailing comments stay on their line and align", "[format][comments]") {
  check("role a;# x\nrole bbbbbb;   # y\n\nrole c; # z\n", "role a;       # x\nrole bbbbbb;  # y\n\nrole c;  # z\n");
  check("resource m { # opens\n  actions a; # acts\n} # closes\n", "resource m {  # opens\n  actions a;  # acts\n}             # closes\n");
  check("deny d: anyone to x on m # head\n  when resource.a # cond\n  code C; # end\n",
        "deny d: anyone to x on m  # head\n  when resource.a         # cond\n  code C;                 # end\n");
}

TEST_CASE("comments inside blocks stay inside", "[format][comments]") {
  check("resource m {\n# first\nactions a;\n    # last\n}\n", "resource m {\n  # first\n  actions a;\n  # last\n}\n");
  check("context {\n  # nothing yet\n}\n", "context {\n  # nothing yet\n}\n");
  check("tenancy {\n  isolation on;\n\n  # where from\n  tenant from principal;\n}\n",
        "tenancy {\n  isolation on;\n\n  # where from\n  tenant from principal;\n}\n");
  check("endpoint GET \"/x\" {\n  # why public\n  public;\n}\n", "endpoint GET \"/x\" {\n  # why public\n  public;\n}\n");
}

TEST_CASE("comments between clauses and at the end of the file", "[format][comments]") {
  check("deny d: anyone to x on m\n  # the condition\n  when resource.a\n  # the code\n  code C;\n# the end\n",
        "deny d: anyone to x on m\n  # the condition\n  when resource.a\n  # the code\n  code C;\n# the end\n");
  check("role a;\n\n\n# dangling", "role a;\n\n# dangling\n");
  check("# only a comment", "# only a comment\n");
}

TEST_CASE("comments in odd places are kept", "[format][comments]") {
  // Inside a rule head joined onto one line: kept, before the next line.
  check("allow x: role a to # t0\n  # mid\n  read on * # t1\n  when resource.a\n  and resource.b;\n",
        "allow x: role a to read on *  # t0\n  # mid\n  # t1\n  when resource.a and resource.b;\n");
  // Two statements on one line, each with nothing after it but the last: the comment goes with the last.
  check("role a; role b; # both\n", "role a;\nrole b;  # both\n");
  // `#` inside strings is not a comment.
  check("deny d: anyone to x on m message \"# not a comment\"; # a comment\n",
        "deny d: anyone to x on m\n  message \"# not a comment\";  # a comment\n");
}
