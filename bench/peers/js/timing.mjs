// How the peer benchmark times an engine in Node, the same way as
// ../cpp/timing.hpp: a warm-up (the request stream in order, for up to one
// second), then passes with each decision timed alone by
// process.hrtime.bigint() until `minSeconds` have gone by and the stream has
// been decided at least once (the percentiles), then passes without
// per-decision clocks for as long again (the throughput, per second of
// wall-clock time and per second of the process's CPU time — the latter is
// what a shared machine changes least; it includes V8's own threads).

// Percentiles come from the first samples, up to 64 per request (8M at most).
const MAX_SAMPLES = 1 << 23;

export function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
}

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

export function timeEngine(requests, decide, minSeconds) {
  let allowed = 0;
  const warmup = process.hrtime.bigint();
  for (let i = 0; i < requests.length && seconds(warmup) < 1; ++i) allowed += decide(requests[i]) ? 1 : 0;

  const samples = new Float64Array(Math.min(MAX_SAMPLES, Math.max(requests.length, 1) * 64));
  let n = 0;
  let total = 0;
  const start = process.hrtime.bigint();
  do {
    for (const r of requests) {
      const t0 = process.hrtime.bigint();
      const allow = decide(r);
      const t1 = process.hrtime.bigint();
      allowed += allow ? 1 : 0;
      const ns = Number(t1 - t0);
      total += ns;
      if (n < samples.length) samples[n++] = ns;
    }
  } while (seconds(start) < minSeconds);
  const sorted = samples.subarray(0, n).sort();

  let decided = 0;
  let allowedUntimed = 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  do {
    for (const r of requests) allowedUntimed += decide(r) ? 1 : 0;
    decided += requests.length;
  } while (seconds(t0) < minSeconds);
  const elapsed = seconds(t0);
  const cpu = process.cpuUsage(cpu0);
  return {
    p50_ns: percentile(sorted, 0.5),
    p90_ns: percentile(sorted, 0.9),
    p99_ns: percentile(sorted, 0.99),
    mean_ns: total / n,
    samples: n,
    throughput_per_s: decided / elapsed,
    throughput_per_cpu_s: decided / ((cpu.user + cpu.system) / 1e6),
    allow_ratio: allowed < 0 ? -1 : allowedUntimed / decided,
  };
}

// The cost of the two clock reads around each decision (their median).
export function clockOverheadNs() {
  const samples = new Float64Array(1 << 20);
  for (let i = 0; i < samples.length; ++i) {
    const t0 = process.hrtime.bigint();
    const t1 = process.hrtime.bigint();
    samples[i] = Number(t1 - t0);
  }
  return percentile(samples.sort(), 0.5);
}
