// Per-decision latency for Google Benchmark: each decision is timed alone
// with the steady clock and the percentiles are reported as counters.
//
// Counters: p50_ns, p90_ns, p99_ns (per decision, the clock's own cost
// included), timer_ns (the median of an empty timed interval, measured in
// the same run: subtract it for the decision alone) and allow_ratio.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "warden/engine.hpp"

namespace warden::bench {

inline std::uint32_t ns_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return static_cast<std::uint32_t>(std::min<std::int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count(), UINT32_MAX));
}

inline void report_percentiles(benchmark::State& state, std::vector<std::uint32_t>& ns) {
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  state.counters["p50_ns"] = ns[ns.size() / 2];
  state.counters["p90_ns"] = ns[ns.size() * 9 / 10];
  state.counters["p99_ns"] = ns[ns.size() * 99 / 100];
}

inline void report_timer_cost(benchmark::State& state) {
  std::vector<std::uint32_t> empty(1 << 16);
  for (auto& e : empty) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto t1 = std::chrono::steady_clock::now();
    e = ns_between(t0, t1);
  }
  std::sort(empty.begin(), empty.end());
  state.counters["timer_ns"] = empty[empty.size() / 2];
}

// Decides requests[i % size] once per iteration, each timed alone.
inline void run_timed(benchmark::State& state, const Engine& engine, const std::vector<Request>& requests, bool with_trace) {
  std::vector<std::uint32_t> samples;
  samples.reserve(1 << 21);
  std::size_t i = 0, allowed = 0;
  Decision d;
  Trace trace;
  for (auto _ : state) {
    const Request& r = requests[i++ % requests.size()];
    const auto t0 = std::chrono::steady_clock::now();
    if (with_trace) {
      trace.events.clear();
      engine.decide(r, d, trace);
    } else {
      engine.decide(r, d);
    }
    const auto t1 = std::chrono::steady_clock::now();
    allowed += d.allowed();
    if (samples.size() < samples.capacity()) samples.push_back(ns_between(t0, t1));
  }
  report_percentiles(state, samples);
  report_timer_cost(state);
  state.counters["allow_ratio"] = i ? static_cast<double>(allowed) / static_cast<double>(i) : 0;
}

}  // namespace warden::bench
