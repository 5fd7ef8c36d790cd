#!/usr/bin/python3
"""The figures of docs/performance.md, drawn by gnuplot from benchmark JSON.

  bench/plot_performance.py --growth GROWTH.json --peers RESULTS.json --out-dir docs/img

--growth   Google Benchmark JSON (--benchmark_out_format=json) holding the
           growth benchmarks: latency vs grants (BM_GrowthGrants/grants:N) and
           latency vs rules (BM_GrowthRules/rules:N), each with the p50_ns and
           p99_ns counters; other names with --grants-benchmark and
           --rules-benchmark. Writes growth-grants.png and growth-rules.png.
--peers    the results JSON of the peer benchmark (bench/peers/run.sh).
           Writes peers.png.

Either input may be left out. Needs gnuplot with the pngcairo terminal
(Debian: gnuplot-nox) and the Python standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

def png(width, height):
    return f'set terminal pngcairo size {width},{height} font "sans,11" noenhanced\n'


def fail(message):
    sys.exit(f"plot_performance: {message}")


def growth_points(doc, name):
    """(N, p50_ns, p99_ns) per argument N of benchmark `name`, by N (the
    argument may be named: `name/grants:N`).

    With repetitions, the median aggregate is used; otherwise the runs."""
    runs = {}
    medians = {}
    for b in doc.get("benchmarks", []):
        m = re.fullmatch(re.escape(name) + r"/(?:\w+:)?(\d+)(/.*)?", b.get("run_name", b["name"]))
        if not m or "p50_ns" not in b:
            continue
        n = int(m.group(1))
        point = (n, float(b["p50_ns"]), float(b["p99_ns"]))
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[n] = point
        else:
            runs.setdefault(n, point)
    points = medians or runs
    return [points[n] for n in sorted(points)]


def gnuplot(script, workdir):
    path = os.path.join(workdir, "plot.gp")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run(["gnuplot", path], check=True, cwd=workdir)


def plot_growth(points, title, xlabel, out, workdir):
    data = os.path.join(workdir, "growth.dat")
    with open(data, "w") as f:
        for n, p50, p99 in points:
            f.write(f"{n} {p50} {p99}\n")
    first_p50 = points[0][1]
    top = max(p99 for _, _, p99 in points) * 1.25
    growth = max(p50 for _, p50, _ in points) / first_p50
    script = png(960, 540) + f"""
set output '{out}'
set title "{title}: p50 grows {growth:.2f}x from {points[0][0]:,} to {points[-1][0]:,}"
set xlabel "{xlabel}"
set ylabel "latency of one decision (ns)"
set logscale x 10
set format x "%.0s%c"
set xrange [{points[0][0] / 1.6}:{points[-1][0] * 1.6}]
set yrange [0:{top}]
set grid ytics lc rgb "#dddddd"
set key top left Left reverse box opaque
set style line 1 lc rgb "#1f77b4" lw 2.5 pt 7 ps 1.3
set style line 2 lc rgb "#ff7f0e" lw 2.5 pt 5 ps 1.1
set style line 3 lc rgb "#888888" lw 1.5 dt 2
plot '{data}' using 1:2 with linespoints ls 1 title "p50", \\
     '{data}' using 1:2:(sprintf("%.0f", $2)) with labels offset 0,1.2 tc rgb "#1f77b4" notitle, \\
     '{data}' using 1:3 with linespoints ls 2 title "p99", \\
     {first_p50 * 1.5} with lines ls 3 title "1.5x the smallest p50 (the growth target)"
"""
    gnuplot(script, workdir)


# Two-line names under the bars; engines not listed here use their label.
SHORT_NAMES = {
    "warden": "Warden\\n(C++, in process)",
    "plain-cpp": "hand-written\\nC++",
    "plain-js": "hand-written\\nJavaScript",
    "casbin": "node-casbin",
    "cedar": "Cedar (WebAssembly\\nin node)",
}


def duration(us):
    if us < 1:
        return f"{us * 1000:.0f} ns"
    if us < 1000:
        return f"{us:.3g} µs"
    return f"{us / 1000:.3g} ms"


def times(ratio):
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


def plot_peers(results, out, workdir):
    engines = results["engines"]
    data = os.path.join(workdir, "peers.dat")
    with open(data, "w") as f:
        for e in engines:
            p50, p99 = e["p50_ns"] / 1000, e["p99_ns"] / 1000
            name = SHORT_NAMES.get(e["name"], e["label"].replace('"', "'"))
            ratio = "" if e["name"] == "warden" else f"\\np50 {times(e['p50_vs_warden'])} Warden's"
            f.write(f'"{name}{ratio}" {p50} {p99} "{duration(p50)}" "{duration(p99)}"\n')
    counts = results["scenario"]["counts"]
    machine = results["machine"]
    load = (machine["load_average_start"][0] + machine["load_average_end"][0]) / 2
    title = (f"One decision, each timed alone: {counts['models']:,} models, {counts['grants']:,} grants, "
             f"{counts['users']:,} users, {results['check']['requests']:,} requests "
             f"(median of {results['method']['rounds']} rounds)")
    subtitle = (f"{machine['cpu']}, {machine['cpus']} CPUs, load average ~{load:.0f}: "
                f"the p99 of the slower engines includes waiting for a CPU")
    top = max(e["p99_ns"] for e in engines) / 1000 * 20
    bottom = min(e["p50_ns"] for e in engines) / 1000 / 4
    ytics = ", ".join(f'"{label}" {value}' for label, value in (
        ("1 ns", 0.001), ("10 ns", 0.01), ("100 ns", 0.1), ("1 µs", 1), ("10 µs", 10), ("100 µs", 100),
        ("1 ms", 1e3), ("10 ms", 1e4), ("100 ms", 1e5), ("1 s", 1e6)))
    # Clustered histogram, 2 series, gap 1.5: the bars sit at ±1/3.5 of a slot from its middle.
    script = png(1100, 560) + f"""
set output '{out}'
set title "{title}"
set label 1 "{subtitle}" at graph 0.5, graph 0.96 center font "sans,9"
set ylabel "latency of one decision (log scale)"
set logscale y 10
set yrange [{bottom}:{top}]
set ytics ({ytics})
set grid ytics lc rgb "#dddddd"
set style data histogram
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics nomirror scale 0 font "sans,10"
set bmargin 5
set lmargin 12
set key top left Left reverse box opaque
plot '{data}' using 2:xtic(1) lc rgb "#1f77b4" title "p50", \\
     '' using 3 lc rgb "#ff7f0e" title "p99", \\
     '' using ($0 - 1/7.0):($2 * 1.5):4 with labels font "sans,9" notitle, \\
     '' using ($0 + 1/7.0):($3 * 1.5):5 with labels font "sans,9" notitle
"""
    gnuplot(script, workdir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--growth", help="Google Benchmark JSON with the growth benchmarks")
    ap.add_argument("--grants-benchmark", default="BM_GrowthGrants")
    ap.add_argument("--rules-benchmark", default="BM_GrowthRules")
    ap.add_argument("--peers", help="the peer benchmark's results JSON")
    ap.add_argument("--out-dir", default="docs/img")
    args = ap.parse_args()
    if not args.growth and not args.peers:
        fail("nothing to plot: give --growth and/or --peers")
    os.makedirs(args.out_dir, exist_ok=True)
    out_dir = os.path.abspath(args.out_dir)
    with tempfile.TemporaryDirectory() as workdir:
        if args.growth:
            with open(args.growth) as f:
                doc = json.load(f)
            for name, title, xlabel, png in (
                (args.grants_benchmark, "Latency vs grants (10k models)", "grants in the facts", "growth-grants.png"),
                (args.rules_benchmark, "Latency vs rules", "rules in the policy", "growth-rules.png"),
            ):
                points = growth_points(doc, name)
                if len(points) < 2:
                    fail(f"{args.growth}: fewer than two sizes of `{name}` with p50_ns and p99_ns counters")
                plot_growth(points, title, xlabel, os.path.join(out_dir, png), workdir)
                print(f"wrote {os.path.join(args.out_dir, png)} ({len(points)} sizes)")
        if args.peers:
            with open(args.peers) as f:
                plot_peers(json.load(f), os.path.join(out_dir, "peers.png"), workdir)
            print(f"wrote {os.path.join(args.out_dir, 'peers.png')}")


if __name__ == "__main__":
    main()
