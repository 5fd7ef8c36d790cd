// The one diagnostic type shared by every phase, and the table of codes.
//
// Library code collects Diagnostics and never prints or exits; the CLI renders
// them (text or JSON) and maps them to an exit status. Messages follow one
// style: lowercase, no trailing period, one line, user names in backticks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/source.hpp"

namespace warden {

enum class Severity : std::uint8_t { Error, Warning };

enum class Code : std::uint16_t {
#define X(code, severity, title) code,
#include "support/diagnostic_codes.def"
#undef X
};

struct CodeInfo {
  Code code;
  std::string_view name;   // "E0201"
  Severity severity;       // default severity
  std::string_view title;  // "unknown scope"
};

// Every code, in table order.
std::span<const CodeInfo> all_codes();
const CodeInfo& code_info(Code code);
// "E0201": what a Status or an InputError carries as its code.
std::string_view code_name(Code code);
std::optional<Code> code_from_name(std::string_view name);

// A secondary location with its own short message ("previous definition here").
struct Label {
  Span span;
  std::string message;
  friend bool operator==(const Label&, const Label&) = default;
};

struct Diagnostic {
  Code code;
  Severity severity;
  Span span;                  // primary location
  std::string message;        // one line, lowercase, no trailing period
  std::vector<Label> labels;  // secondary locations
  std::vector<std::string> notes;  // "help: did you mean `owner`?", "note: …"

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Build a diagnostic with the code's default severity.
Diagnostic make_diagnostic(Code code, Span span, std::string message);

// Collects diagnostics from the passes of one compilation.
class DiagnosticSink {
 public:
  Diagnostic& report(Code code, Span span, std::string message);
  void add(Diagnostic d) { diagnostics_.push_back(std::move(d)); }

  bool has_errors() const;
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::vector<Diagnostic> take() { return std::move(diagnostics_); }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Sort by (file, offset, code, message), drop exact duplicates, and cap the
// number kept (the count of dropped ones is returned through `dropped`).
void normalize(std::vector<Diagnostic>& diagnostics, std::size_t cap, std::size_t* dropped = nullptr);

// "did you mean `x`?" support: the closest candidate by edit distance, if it is
// close enough to be a plausible misspelling.
std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string_view>& candidates);

}  // namespace warden
