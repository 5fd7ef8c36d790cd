// How long and how wide the concurrency stress tests run.
//
// Bounded by time, not iterations, so a slow build (sanitizers, a loaded CI
// machine) does fewer iterations instead of taking longer: 2 s per test
// normally, 1 s under sanitizers (WARDEN_TEST_SANITIZED), or
// WARDEN_STRESS_MS milliseconds when that is set (a longer soak by hand).
// Tests may run on past it (up to 10x) until their writers have done a
// minimum of work, for machines where they get little CPU.
#pragma once

#include <chrono>
#include <cstdlib>
#include <string>

namespace warden::test {

// More readers than the 2 cores CI has: preemption in the middle of a
// decision is part of what is being tested.
inline constexpr unsigned kStressReaders = 4;

inline std::chrono::milliseconds stress_duration() {
  if (const char* ms = std::getenv("WARDEN_STRESS_MS")) return std::chrono::milliseconds(std::atol(ms));
#ifdef WARDEN_TEST_SANITIZED
  return std::chrono::milliseconds(1000);
#else
  return std::chrono::milliseconds(2000);
#endif
}

}  // namespace warden::test
