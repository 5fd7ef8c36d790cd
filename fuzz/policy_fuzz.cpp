// libFuzzer target: policy source through the compiler driver — parse,
// semantic checks, lowering, validation — and the artifact round trip.
//
// Seeds: every `.warden` file of policies/, fixtures/ and examples/
// (scripts/fuzz.sh). Checks, besides "no crash, no hang, no sanitizer
// report": every diagnostic renders (text and JSON) with a location inside
// the input, no raw control byte and a bounded size (docs/reliability.md);
// a policy without errors lowers to a table that validate() accepts, whose
// artifact loads back to the same table.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "compiler/driver.hpp"
#include "fuzz/fuzz_check.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"

namespace {

using namespace warden;

// Inputs larger than this are not more interesting, only slower.
constexpr std::size_t kMaxInput = 1 << 16;
// What one rendered diagnostic may take: a capped source line, the caret
// line, the message and its notes (support/diagnostic_render.cpp).
constexpr std::size_t kMaxRendered = 8192;


// A byte a terminal would act on. Tabs stay (source lines keep them so the
// caret line aligns); so do line feeds, which end the lines.
bool has_raw_control(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if ((u < 0x20 && s[i] != '\n' && s[i] != '\t') || u == 0x7f) return true;
    if (u == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      return true;  // a C1 control as UTF-8
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  // The driver, as `warden check` and `warden compile` run it: parse,
  // check, lower, validate, serialize.
  const compiler::Compilation c =
      compiler::compile_sources("fuzz", {{"fuzz.warden", std::string(reinterpret_cast<const char*>(data), size)}});
  for (const Diagnostic& d : c.diagnostics) {
    if (d.span.valid()) WARDEN_FUZZ_CHECK(d.span.offset <= size && d.span.length <= size - d.span.offset);
    const std::string text = render_text(d, c.sources);
    WARDEN_FUZZ_CHECK(text.size() <= kMaxRendered && !has_raw_control(text));
    WARDEN_FUZZ_CHECK(!render_json(d, c.sources).empty());
  }
  // A lowered table that fails validation is an internal compiler error.
  WARDEN_FUZZ_CHECK(c.failure != compiler::Failure::Internal);
  if (!c.ok()) return 0;
  const auto loaded = table::load_artifact(std::span<const char>(c.artifact.data(), c.artifact.size()));
  WARDEN_FUZZ_CHECK(loaded.ok() && *loaded.program == *c.program);
  return 0;
}
