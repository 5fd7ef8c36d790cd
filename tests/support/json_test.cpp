// Unit tests of the strict JSON reader and the JSON writer (support/json*).
#include <catch2/catch.hpp>

#include "support/json.hpp"
#include "support/json_writer.hpp"

using warden::json::Value;

namespace {

Value ok(std::string_view text) {
  auto r = warden::json::parse(text);
  INFO("error: " << r.error.message << " at " << r.error.line << ":" << r.error.column);
  REQUIRE(r.ok());
  return std::move(*r.value);
}

warden::json::Error fails(std::string_view text, warden::json::Limits limits = {}) {
  auto r = warden::json::parse(text, limits);
  REQUIRE_FALSE(r.ok());
  return r.error;
}

}  // namespace

TEST_CASE("json: scalars", "[json]") {
  CHECK(ok("null").is_null());
  CHECK(ok("true").as_bool());
  CHECK_FALSE(ok(" false ").as_bool());
  CHECK(ok("0").as_int() == 0);
  CHECK(ok("-12").as_int() == -12);
  CHECK(ok("9223372036854775807").as_int() == INT64_MAX);
  CHECK(ok("-9223372036854775808").as_int() == INT64_MIN);
  CHECK(ok("1.5").as_double() == 1.5);
  CHECK(ok("-2e3").is_double());
  CHECK(ok("-2e3").as_double() == -2000.0);
  CHECK(ok("1E+2").as_double() == 100.0);
  // Beyond int64: a double.
  const Value big = ok("9223372036854775808");
  CHECK(big.is_double());
  CHECK(ok("\"hi\"").as_string() == "hi");
}

TEST_CASE("json: string escapes and unicode", "[json]") {
  CHECK(ok(R"("a\"b\\c\/d\b\f\n\r\t")").as_string() == "a\"b\\c/d\b\f\n\r\t");
  CHECK(ok(R"("\u0041\u00e9\u20ac")").as_string() == "A\xC3\xA9\xE2\x82\xAC");
  CHECK(ok(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");  // U+1F600
  CHECK(ok(R"("\u0000")").as_string() == std::string(1, '\0'));
  CHECK(ok("\"caf\xC3\xA9\"").as_string() == "caf\xC3\xA9");
  CHECK(fails(R"("\ud83d")").message.find("surrogate") != std::string::npos);
  CHECK(fails(R"("\ud83dx")").message.find("surrogate") != std::string::npos);
  CHECK(fails(R"("\ude00")").message.find("surrogate") != std::string::npos);
  CHECK(fails(R"("\ud83d\u0041")").message.find("surrogate") != std::string::npos);
  CHECK(fails(R"("\u12")").message.find("hex") != std::string::npos);
  CHECK(fails(R"("\x")").message.find("invalid escape") != std::string::npos);
  CHECK(fails("\"a\tb\"").message.find("control character") != std::string::npos);
  CHECK(fails("\"\xC3\"").message.find("UTF-8") != std::string::npos);
  CHECK(fails("\"\xC0\x80\"").message.find("UTF-8") != std::string::npos);        // overlong
  CHECK(fails("\"\xED\xA0\x80\"").message.find("UTF-8") != std::string::npos);    // encoded surrogate
  CHECK(fails("\"\xF4\x90\x80\x80\"").message.find("UTF-8") != std::string::npos);  // > U+10FFFF
  CHECK(fails("\"abc").message == "unterminated string");
}

TEST_CASE("json: arrays and objects keep order and positions", "[json]") {
  const Value v = ok("{\n  \"b\": [1, 2,\n    {\"x\": null}],\n  \"a\": \"s\"\n}");
  REQUIRE(v.is_object());
  REQUIRE(v.members().size() == 2);
  CHECK(v.members()[0].key == "b");
  CHECK(v.members()[1].key == "a");
  CHECK(v.line() == 1);
  CHECK(v.column() == 1);
  CHECK(v.members()[0].line == 2);
  CHECK(v.members()[0].column == 3);
  const Value& b = *v.find("b");
  CHECK(b.line() == 2);
  CHECK(b.column() == 8);
  REQUIRE(b.items().size() == 3);
  CHECK(b.items()[1].column() == 12);
  CHECK(b.items()[2].line() == 3);
  CHECK(b.items()[2].column() == 5);
  CHECK(v.find("a")->line() == 4);
  CHECK(v.find("a")->column() == 8);
  CHECK(v.find("zz") == nullptr);
  CHECK(ok("[]").items().empty());
  CHECK(ok("{}").members().empty());
}

TEST_CASE("json: syntax errors carry line and column", "[json]") {
  auto e = fails("{\n  \"a\": 1,\n  \"b\" 2\n}");
  CHECK(e.line == 3);
  CHECK(e.column == 7);
  CHECK(e.message == "unexpected `2`, expected `:` after an object key");

  e = fails("[1, 2,]");
  CHECK(e.column == 7);
  CHECK(e.message == "unexpected `]`, expected a value");

  e = fails("{\"a\":1,}");
  CHECK(e.message == "unexpected `}`, expected a string key");

  e = fails("{\"a\": 1} x");
  CHECK(e.column == 10);
  CHECK(e.message == "unexpected `x` after the JSON value");

  CHECK(fails("").message == "unexpected end of input, expected a value");
  CHECK(fails("   ").line == 1);
  CHECK(fails("[1").message == "unexpected end of input, expected `,` or `]`");
  CHECK(fails("{'a': 1}").message == "unexpected `'`, expected a string key");
  CHECK(fails("// c\n1").message == "unexpected `/`, expected a value");
  CHECK(fails("NaN").message == "unexpected `N`, expected a value");
  CHECK(fails("tru").message == "unexpected `t`, expected a value");
  CHECK(fails("01").message == "leading zeros are not allowed in numbers");
  CHECK(fails("1.").message.find("digits") != std::string::npos);
  CHECK(fails("1e").message.find("exponent") != std::string::npos);
  CHECK(fails("-").message == "invalid number");
  CHECK(fails("+1").message == "unexpected `+`, expected a value");
  CHECK(fails("1e999").message == "number out of range");
  CHECK(fails("\xEF\xBB\xBF{}").message == "byte order mark is not allowed");
  CHECK(fails("\x01").message == "unexpected byte 0x01, expected a value");
}

TEST_CASE("json: duplicate keys are errors", "[json]") {
  auto e = fails("{\"a\": 1,\n \"a\": 2}");
  CHECK(e.message == "duplicate key `a`");
  CHECK(e.line == 2);
  CHECK(e.column == 2);

  // Large objects take the hash-set path.
  std::string big = "{";
  for (int i = 0; i < 100; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  CHECK(ok(big.substr(0, big.size() - 1) + "}").members().size() == 100);
  e = fails(big + "\"k57\": 0}");
  CHECK(e.message == "duplicate key `k57`");
  // Keys that differ only after an escape are distinct; equal after decoding are not.
  CHECK(fails(R"({"a": 1, "\u0061": 2})").message == "duplicate key `a`");
}

TEST_CASE("json: depth and size limits", "[json]") {
  warden::json::Limits limits;
  limits.max_depth = 64;
  CHECK(warden::json::parse(std::string(64, '[') + std::string(64, ']'), limits).ok());
  auto e = fails(std::string(65, '[') + std::string(65, ']'), limits);
  CHECK(e.message == "nesting deeper than 64 levels");
  CHECK(e.column == 65);
  // Far deeper input fails the same way, without exhausting the stack.
  CHECK(fails(std::string(100000, '[')).message == "nesting deeper than 64 levels");

  limits.max_size = 8;
  CHECK(fails("[1,2,3,4,5]", limits).message == "input larger than 8 bytes");
}

TEST_CASE("json: line counting across CRLF", "[json]") {
  auto e = fails("[\r\n1,\r\n2,\r\n x]");
  CHECK(e.line == 4);
  CHECK(e.column == 2);
}

TEST_CASE("json writer: escaping and structure", "[json]") {
  std::string out;
  warden::json::append_string(out, "a\"b\\c\n\x01\xC3\xA9");
  CHECK(out == "\"a\\\"b\\\\c\\n\\u0001\xC3\xA9\"");

  out.clear();
  warden::json::append_string(out, "cut\xE2\x82");  // a UTF-8 sequence cut short
  CHECK(out == "\"cut\\ufffd\\ufffd\"");

  out.clear();
  warden::json::Writer w(out);
  w.begin_object().field("a", std::int64_t{1}).key("b").begin_array().string("x").null().boolean(true).end_array();
  w.key("c").begin_object().end_object().field("d", "e").key("f").unsigned_integer(18446744073709551615u).end_object();
  CHECK(out == R"({"a":1,"b":["x",null,true],"c":{},"d":"e","f":18446744073709551615})");
  // Whatever the writer produces, the reader accepts.
  CHECK(warden::json::parse(out).ok());
}

TEST_CASE("json writer output round-trips through the reader", "[json]") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  std::string out;
  warden::json::append_string(out, all);
  auto r = warden::json::parse(out);
  REQUIRE(r.ok());
  const std::string& back = r.value->as_string();
  CHECK(back.substr(0, 128) == all.substr(0, 128));  // ASCII survives exactly
}
