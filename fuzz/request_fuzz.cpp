// libFuzzer target: decision requests as JSON (`warden eval --request`,
// `--batch` lines, services), read and decided against every reference
// policy with its fixture facts.
//
// Seeds: the requests of fixtures/requests/ and of the fixture suites
// (scripts/fuzz.sh). Checks, besides "no crash, no sanitizer report": a
// refusal has an F02xx code, a message and a line inside the input; an
// accepted request gets a decision with a code from every policy, and its
// explanation renders as text and JSON, with the trace.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/reference_engines.hpp"
#include "warden/explain.hpp"
#include "warden/request_json.hpp"

namespace {

constexpr std::size_t kMaxInput = 1 << 14;


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace warden;
  if (size > kMaxInput) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& engines = fuzz::reference_engines();
  OwnedRequest request;
  if (const auto error = parse_request(text, request, "fuzz.json")) {
    WARDEN_FUZZ_CHECK(error->code.rfind("F02", 0) == 0 && !error->message.empty());
    WARDEN_FUZZ_CHECK(error->line >= 1 && error->line <= 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    (void)format_error(*error);
    return 0;
  }
  for (const auto& reference : engines) {
    Decision d;
    Trace trace;
    reference.engine->decide(request.request, d, trace);
    WARDEN_FUZZ_CHECK(!d.code.empty());
    (void)explain_text(d);
    (void)decision_json(d, &trace);
    // Tracing changes nothing (compared only at a fixed time: without one the
    // engine reads the clock, which may tick between the two calls).
    if (request.request.time) {
      const Decision again = reference.engine->decide(request.request);
      WARDEN_FUZZ_CHECK(again.outcome == d.outcome && again.code.view() == d.code.view());
    }
  }
  return 0;
}
