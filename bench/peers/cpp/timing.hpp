// How the peer benchmark times an engine, the same way in C++ as in
// ../js/timing.mjs: a warm-up (the request stream in order, for up to one
// second), then passes with each decision timed alone by the steady clock
// until `min_seconds` have gone by and the stream has been decided at least
// once (the percentiles), then passes without per-decision clocks for as
// long again (the throughput, per second of wall-clock time and per second
// of the thread's CPU time — the latter is what a shared machine changes
// least).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <vector>

namespace warden::peers {

struct RoundResult {
  double p50_ns = 0, p90_ns = 0, p99_ns = 0, mean_ns = 0;
  std::size_t samples = 0;
  double throughput_per_s = 0;      // decisions per second of wall-clock time
  double throughput_per_cpu_s = 0;  // decisions per second of the thread's CPU time
  double allow_ratio = 0;
};

inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double percentile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

template <typename Request, typename Decide>
RoundResult time_engine(const std::vector<Request>& requests, Decide&& decide, double min_seconds) {
  using Clock = std::chrono::steady_clock;
  constexpr std::size_t kMaxSamples = std::size_t{1} << 23;
  RoundResult out;
  std::size_t allowed = 0;
  const auto warmup = Clock::now();
  for (std::size_t i = 0; i < requests.size() && Clock::now() - warmup < std::chrono::seconds(1); ++i) allowed += decide(requests[i]);

  std::vector<std::uint32_t> samples;
  samples.reserve(std::min(kMaxSamples, requests.size() * 8));
  const auto budget = std::chrono::duration<double>(min_seconds);
  const auto start = Clock::now();
  double total_ns = 0;
  do {
    for (const auto& r : requests) {
      const auto t0 = Clock::now();
      const bool allow = decide(r);
      const auto t1 = Clock::now();
      allowed += allow;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
      total_ns += static_cast<double>(ns);
      if (samples.size() < kMaxSamples) samples.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(ns, UINT32_MAX)));
    }
  } while (Clock::now() - start < budget);
  std::sort(samples.begin(), samples.end());
  out.samples = samples.size();
  out.p50_ns = percentile(samples, 0.50);
  out.p90_ns = percentile(samples, 0.90);
  out.p99_ns = percentile(samples, 0.99);
  out.mean_ns = total_ns / static_cast<double>(samples.size());

  std::size_t decided = 0, allowed_untimed = 0;
  const auto t0 = Clock::now();
  const double cpu0 = thread_cpu_seconds();
  do {
    for (const auto& r : requests) allowed_untimed += decide(r);
    decided += requests.size();
  } while (Clock::now() - t0 < budget);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  out.throughput_per_s = static_cast<double>(decided) / seconds;
  out.throughput_per_cpu_s = static_cast<double>(decided) / (thread_cpu_seconds() - cpu0);
  out.allow_ratio = static_cast<double>(allowed_untimed) / static_cast<double>(decided);
  // Keeps the decisions observable, so none of the loops can be dropped.
  if (allowed == SIZE_MAX) out.allow_ratio = -1;
  return out;
}

// The cost of the two clock reads around each decision, itself measured
// like a decision that does nothing (its median).
inline double clock_overhead_ns() {
  using Clock = std::chrono::steady_clock;
  std::vector<std::uint32_t> samples(1 << 20);
  for (auto& s : samples) {
    const auto t0 = Clock::now();
    const auto t1 = Clock::now();
    s = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  }
  std::sort(samples.begin(), samples.end());
  return percentile(samples, 0.5);
}

}  // namespace warden::peers
