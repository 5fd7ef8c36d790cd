// The parser driver: runs the grammar over one file, turns PEGTL parse errors
// into diagnostics and recovers at the next declaration so that one run
// reports every independent error.
#include "grammar/parse.hpp"

#include <string>
#include <tao/pegtl.hpp>

#include "grammar/actions.hpp"
#include "grammar/builder.hpp"
#include "grammar/grammar.hpp"
#include "grammar/source_checks.hpp"

namespace warden::grammar {
namespace {

// Error messages: a rule wrapped in req<R> that fails raises R::expected.
template <typename Rule>
inline constexpr const char* error_message = nullptr;
template <typename R>
inline constexpr const char* error_message<rules::req<R>> = R::expected;

struct errors {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
};

template <typename Rule>
struct control : pegtl::must_if<errors, pegtl::normal, false>::control<Rule> {};

// Remember where each declaration starts, for recovery.
template <>
struct control<rules::declaration> : pegtl::must_if<errors, pegtl::normal, false>::control<rules::declaration> {
  template <typename ParseInput>
  static void start(const ParseInput& in, Builder& b) {
    b.declaration_start = b.offset(in.current());
  }
};

constexpr std::size_t kMaxSyntaxErrorsPerFile = 50;

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '.' || c == '-';
}

// The token at `at`, for "found …" in messages.
std::string describe_token(std::string_view text, std::size_t at) {
  if (at >= text.size()) return "end of file";
  const char c = text[at];
  if (c == '"') return "a string";
  std::size_t end = at;
  if (is_word_char(c)) {
    while (end < text.size() && is_word_char(text[end]) && end - at < 40) ++end;
  } else {
    // One character: keep a UTF-8 sequence whole so the message stays valid.
    end = at + 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80 && end - at < 4) ++end;
  }
  return "`" + std::string(text.substr(at, end - at)) + "`";
}

bool is_declaration_keyword(std::string_view word) {
  static constexpr std::string_view kKeywords[] = {"policy", "mode", "tenancy", "scope", "levels", "role",
                                                    "principal", "resource", "context", "endpoint", "allow", "deny"};
  for (auto k : kKeywords) {
    if (k == word) return true;
  }
  return false;
}

// A minimal tokenizer over the raw text, skipping whitespace, comments and
// strings, used only to find where to resume after a syntax error.
class Scanner {
 public:
  Scanner(std::string_view text, std::size_t pos) : text_(text), pos_(pos) {}

  // Advances to the next token; returns false at end of input.
  bool next() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ >= text_.size()) return false;
    start_ = pos_;
    const char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') pos_ += text_[pos_] == '\\' ? 2 : 1;
      if (pos_ < text_.size() && text_[pos_] == '"') ++pos_;
    } else if (is_word_char(c)) {
      while (pos_ < text_.size() && is_word_char(text_[pos_])) ++pos_;
    } else {
      ++pos_;
    }
    pos_ = std::min(pos_, text_.size());
    return true;
  }

  std::size_t start() const { return start_; }
  std::size_t end() const { return pos_; }
  std::string_view token() const { return text_.substr(start_, pos_ - start_); }
  bool at_line_start() const {
    std::size_t i = start_;
    while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) --i;
    return i == 0 || text_[i - 1] == '\n';
  }
  bool at_column_one() const { return start_ == 0 || text_[start_ - 1] == '\n'; }

 private:
  std::string_view text_;
  std::size_t pos_;
  std::size_t start_ = 0;
};

// Where to resume after a syntax error at `error` in the declaration that
// started at `decl_start`: after the `;` or `}` that ends the declaration, or
// before the next declaration keyword that starts a line.
std::size_t recovery_point(std::string_view text, std::size_t decl_start, std::size_t error) {
  int depth = 0;
  Scanner before(text, decl_start);
  while (before.next() && before.start() < error) {
    if (before.token() == "{") ++depth;
    if (before.token() == "}") --depth;
  }
  Scanner s(text, error);
  while (s.next()) {
    const bool progressed = s.start() > decl_start;
    const std::string_view t = s.token();
    if (progressed && is_declaration_keyword(t) &&
        ((depth <= 0 && s.at_line_start()) || s.at_column_one())) {
      return s.start();
    }
    if (t == "{") ++depth;
    if (t == "}" && --depth <= 0) return s.end();
    if (t == ";" && depth <= 0) return s.end();
  }
  return text.size();
}

}  // namespace

void parse_file(const SourceSet& sources, std::uint32_t file, ast::Policy& out, DiagnosticSink& sink) {
  if (!check_source_text(sources, file, sink)) return;
  const std::string_view text = sources.file(file).text();
  Builder builder(sources, file, out, sink);
  std::size_t pos = 0;
  std::size_t errors_reported = 0;
  while (pos < text.size() || pos == 0) {
    pegtl::memory_input in(text.data() + pos, text.data() + text.size(), sources.file(file).path(), pos, 1, 1);
    try {
      pegtl::parse<rules::declarations, action, control>(in, builder);
      return;
    } catch (const pegtl::parse_error& e) {
      const std::size_t at = e.positions().empty() ? pos : e.positions().front().byte;
      std::string_view message = e.message();
      Code code = Code::E0101;
      std::size_t length = 1;
      if (message == "maximum parser rule nesting depth exceeded") {
        code = Code::E0106;
        message = "condition nests deeper than 64 levels";
      } else if (message.size() > 6 && message[5] == '|' && code_from_name(message.substr(0, 5))) {
        // A message may select its own code: "E0102|unterminated string literal".
        code = *code_from_name(message.substr(0, 5));
        message = message.substr(6);
      }
      std::string full(message);
      std::size_t where = at;
      if (code == Code::E0101) {
        full += ", found " + describe_token(text, at);
        Scanner s(text, at);
        if (at < text.size() && s.next() && s.start() == at) length = s.end() - s.start();
        // When the unexpected token starts a later line, what is missing
        // belongs at the end of the previous token ("expected `;`").
        std::size_t prev = at;
        while (prev > 0 && std::isspace(static_cast<unsigned char>(text[prev - 1]))) --prev;
        if (prev < at && text.substr(prev, at - prev).find('\n') != std::string_view::npos) {
          where = prev;
          length = 1;
        }
      }
      if (where >= text.size()) length = 0;
      sink.report(code, sources.span(file, static_cast<std::uint32_t>(where), static_cast<std::uint32_t>(length)), std::move(full));
      if (++errors_reported >= kMaxSyntaxErrorsPerFile) return;
      const std::size_t next = recovery_point(text, builder.declaration_start, at);
      builder.reset();
      if (next <= pos) return;  // no progress possible
      pos = next;
    }
  }
}


}  // namespace warden::grammar

namespace warden::ast {

const char* method_name(Method m) {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    case Method::Options: return "OPTIONS";
    case Method::Any: return "ANY";
  }
  return "?";
}

}  // namespace warden::ast
