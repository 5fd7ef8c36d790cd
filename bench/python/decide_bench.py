"""Per-call decision latency from Python (docs/performance.md, "Bindings").

    build-release/bench/warden_bench_bindings --write-data build-release/bench-data
    PYTHONPATH=build-release/bindings/python /usr/bin/python3 bench/python/decide_bench.py build-release/bench-data

Each scenario (bench/binding_scenarios.hpp: the same facts and 4096
requests the C++ baseline decides) is loaded through the binding: the
policy with warden.compile(), the facts with Engine.replace_facts(), the
requests as dicts (json.loads of each line). Every call is timed alone with
time.perf_counter_ns(); the cost of the two clock reads (measured, printed as
`clock`) is included in the figures, as the steady clock's is in C++'s.

  decide            engine.decide(request) -> Decision (the explanation is
                    computed and held; no field converted)
  decide+fields     the same, then .allowed and .code read (what a
                    middleware reads on an allow)
  decide+to_dict    the same, then the whole explanation as a dict
  no-policy floor   an engine without a policy (NO_POLICY: the decision
                    itself costs nothing): the binding's own cost

Threads: N Python threads decide at once on one engine; the GIL is released
during each decision, so what the threads share is the interpreter.
"""

import argparse
import json
import pathlib
import threading
import time

import warden

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(data: pathlib.Path, name: str):
    engine = warden.Engine(warden.compile(ROOT / "policies" / name).artifact)
    engine.replace_facts(data / f"{name}.facts.jsonl")
    requests = [json.loads(line) for line in (data / f"{name}.requests.jsonl").read_text().splitlines() if line]
    return engine, requests


def timed(call, requests, seconds: float) -> list:
    clock = time.perf_counter_ns
    samples = []
    append = samples.append
    n = len(requests)
    deadline = clock() + int(seconds * 1e9)
    i = 0
    while True:
        r = requests[i % n]
        t0 = clock()
        call(r)
        t1 = clock()
        append(t1 - t0)
        i += 1
        if (i & 1023) == 0 and t1 > deadline:
            return samples


def percentiles(samples: list) -> tuple:
    samples.sort()
    return samples[len(samples) // 2], samples[len(samples) * 99 // 100]


def run(label: str, call, requests, threads: int, seconds: float) -> None:
    timed(call, requests, 0.2)  # warm up
    results: list = [None] * threads

    def worker(k: int) -> None:
        results[k] = timed(call, requests[k * 997:] + requests[: k * 997], seconds)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    samples = [s for r in results for s in r]
    p50, p99 = percentiles(samples)
    print(f"  {label:<16} threads={threads}  p50 {p50 / 1000:6.2f} us  p99 {p99 / 1000:6.2f} us  "
          f"{len(samples) / elapsed / 1e6:5.2f} M decisions/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=pathlib.Path, help="directory written by warden_bench_bindings --write-data")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    clock = time.perf_counter_ns
    empty = timed(lambda r: None, [None], 0.5)
    print(f"clock (two perf_counter_ns reads and a call to an empty lambda): p50 {percentiles(empty)[0]} ns")
    for name in ("gateway", "model_permissions"):
        engine, requests = load(args.data, name)
        print(f"{name}: {len(requests)} requests, facts version {engine.facts_version}")

        def fields(r, decide=engine.decide):
            d = decide(r)
            return d.allowed, d.code

        for threads in sorted({1, args.threads}):
            run("decide", engine.decide, requests, threads, args.seconds)
            run("decide+fields", fields, requests, threads, args.seconds)
        run("decide+to_dict", lambda r: engine.decide(r).to_dict(), requests, 1, args.seconds)
        if name == "gateway":
            floor = warden.Engine()
            run("no-policy floor", floor.decide, requests, 1, args.seconds)
    del clock


if __name__ == "__main__":
    main()
