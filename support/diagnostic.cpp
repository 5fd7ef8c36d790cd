// The code table, diagnostic construction, normalization and name suggestions.
#include "support/diagnostic.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace warden {
namespace {

constexpr std::array kCodes = {
#define X(code, severity, title) CodeInfo{Code::code, #code, Severity::severity, title},
#include "support/diagnostic_codes.def"
#undef X
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Two-row Levenshtein; names are short, so quadratic is fine.
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::span<const CodeInfo> all_codes() { return kCodes; }

const CodeInfo& code_info(Code code) { return kCodes[static_cast<std::size_t>(code)]; }

std::string_view code_name(Code code) { return code_info(code).name; }

std::optional<Code> code_from_name(std::string_view name) {
  for (const auto& info : kCodes) {
    if (info.name == name) return info.code;
  }
  return std::nullopt;
}

Diagnostic make_diagnostic(Code code, Span span, std::string message) {
  return Diagnostic{code, code_info(code).severity, span, std::move(message), {}, {}};
}

Diagnostic& DiagnosticSink::report(Code code, Span span, std::string message) {
  diagnostics_.push_back(make_diagnostic(code, span, std::move(message)));
  return diagnostics_.back();
}

bool DiagnosticSink::has_errors() const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

void normalize(std::vector<Diagnostic>& diagnostics, std::size_t cap, std::size_t* dropped) {
  auto key = [](const Diagnostic& d) {
    return std::tuple(d.span.file, d.span.offset, static_cast<int>(d.code), std::string_view(d.message));
  };
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end()), diagnostics.end());
  const std::size_t extra = diagnostics.size() > cap ? diagnostics.size() - cap : 0;
  if (extra) diagnostics.resize(cap);
  if (dropped) *dropped = extra;
}

std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string_view>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  // Allow roughly one edit per three characters, at least one.
  const std::size_t limit = std::max<std::size_t>(1, wrong.size() / 3);
  for (auto candidate : candidates) {
    const std::size_t d = edit_distance(wrong, candidate);
    if (d <= limit && (!best || d < best_distance || (d == best_distance && candidate < *best))) {
      best = std::string(candidate);
      best_distance = d;
    }
  }
  return best;
}

}  // namespace warden
