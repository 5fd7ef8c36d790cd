// The peer benchmark, end to end (bench/peers/run.sh installs and builds,
// then runs this):
//   1. generate the world and the requests in every engine's format;
//   2. compile the Warden policy with `warden compile`;
//   3. decide every request with every engine — Warden in process (C++
//      harness), Warden's CLI (`warden eval --batch` on the JSONL facts),
//      the plain C++ and JavaScript evaluators, node-casbin and Cedar — and
//      stop, printing the requests, if any two disagree on any request;
//   4. time them: R rounds, each timing the C++ harness's engines then the
//      Node harness's (which stays up between rounds), so that every engine
//      is measured in the same time window;
//   5. print p50/p99/throughput per engine (medians over the rounds), the
//      ratios to Warden and the versions, and write it all as JSON.
//
// Usage: node run.mjs --build-dir DIR [--data DIR] [--out FILE] [--seed N]
//        [--requests N] [--models N] [--grants N] [--users N] [--teams N] [--orgs N]
//        [--rounds R] [--min-seconds S]
//        [--check-only]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const here = path.dirname(new URL(import.meta.url).pathname);
const peers = path.resolve(here, '..');

const ENGINE_ORDER = ['warden', 'plain-cpp', 'plain-js', 'casbin', 'cedar'];
const LABELS = {
  warden: 'Warden (C++, in process)',
  'warden-cli': 'Warden CLI (warden eval --batch)',
  'plain-cpp': 'hand-written C++',
  'plain-js': 'hand-written JavaScript',
  casbin: 'node-casbin',
  cedar: 'Cedar (WebAssembly, in node)',
};

function sh(file, args, options = {}) {
  return execFileSync(file, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30, ...options });
}

// The Node harness (harness.mjs), kept running between rounds.
class NodeHarness {
  constructor(data, minSeconds) {
    this.child = spawn('node', [path.join(here, 'harness.mjs'), '--data', data, '--min-seconds', String(minSeconds)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child.stdin.on('error', () => {}); // it may have stopped already: reported by next()
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(signal ?? `exit status ${code}`)));
  }
  async next() {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`the Node harness stopped (${await this.exited}); its messages are above`);
    const message = JSON.parse(value);
    if (message.error) throw new Error(`Node harness: ${message.error}`);
    return message;
  }
  async ready() {
    return (await this.next()).engines;
  }
  async run(command, file) {
    this.child.stdin.write(`${command} ${file}\n`);
    await this.next();
    return readJson(file);
  }
  async quit() {
    this.child.stdin.end('quit\n');
    await this.exited;
  }
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function duration(ns) {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}
function count(n) {
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return n.toPrecision(3);
}

function cpuModel() {
  const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
  return m ? m[1].trim() : os.cpus()[0]?.model ?? 'unknown';
}

// Step 3: every engine's decision on every request; throws on disagreement.
async function crossCheck(ctx, nodeHarness) {
  const { warden, harness, data, artifact } = ctx;
  console.log('== deciding every request with every engine');
  sh(harness, ['--data', data, '--artifact', artifact, '--mode', 'check', '--out', path.join(data, 'check-cpp.json')]);
  const cli = sh(warden, ['eval', artifact, '--facts', path.join(data, 'warden-facts.jsonl'), '--batch', path.join(data, 'warden-requests.jsonl')]);
  await nodeHarness.ready();
  const node = await nodeHarness.run('check', path.join(data, 'check-node.json'));
  const cpp = readJson(path.join(data, 'check-cpp.json'));
  const cliDecisions = cli
    .toString()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const d = JSON.parse(l);
      if (d.error) throw new Error(`warden eval: request line ${d.line}: ${d.error.message}`);
      return d.allowed ? '1' : '0';
    })
    .join('');
  const sources = [...cpp.engines, { name: 'warden-cli', decisions: cliDecisions }, ...node.engines];
  const codes = cpp.engines.find((e) => e.name === 'warden').codes;
  const requests = fs.readFileSync(path.join(data, 'requests.tsv'), 'utf8').split('\n').filter((l) => l !== '');
  for (const s of sources) {
    if (s.decisions.length !== requests.length) throw new Error(`${s.name} decided ${s.decisions.length} of ${requests.length} requests`);
  }
  const mismatches = [];
  for (let i = 0; i < requests.length; ++i) {
    if (sources.some((s) => s.decisions[i] !== sources[0].decisions[i])) mismatches.push(i);
  }
  if (mismatches.length) {
    console.log(`\n${mismatches.length} of ${requests.length} requests decided differently:`);
    for (const i of mismatches.slice(0, 50)) {
      const verdicts = sources.map((s) => `${s.name}=${s.decisions[i] === '1' ? 'allow' : 'deny'}`).join(' ');
      console.log(`  #${i + 1} ${requests[i].replaceAll('\t', ' ')}: ${verdicts} (Warden: ${codes[i]})`);
    }
    if (mismatches.length > 50) console.log(`  … and ${mismatches.length - 50} more`);
    throw new Error('the engines disagree: nothing was timed');
  }
  const allowed = [...sources[0].decisions].filter((c) => c === '1').length;
  const byCode = {};
  for (const c of codes) byCode[c] = (byCode[c] ?? 0) + 1;
  console.log(`all ${sources.length} agree on all ${requests.length} requests (${allowed} allowed; Warden's codes: ${JSON.stringify(byCode)})`);
  return { requests: requests.length, engines: sources.map((s) => s.name), allowed, warden_codes: byCode };
}

// Step 4: R rounds of the C++ harness then the Node one.
async function timeAll(ctx, nodeHarness, rounds, minSeconds) {
  const { harness, data, artifact } = ctx;
  const runs = [];
  for (let round = 1; round <= rounds; ++round) {
    console.log(`== timing, round ${round} of ${rounds}`);
    const cppOut = path.join(data, `time-cpp-${round}.json`);
    sh(harness, ['--data', data, '--artifact', artifact, '--mode', 'time', '--out', cppOut, '--min-seconds', String(minSeconds)], { stdio: 'inherit' });
    runs.push(readJson(cppOut), await nodeHarness.run('time', path.join(data, `time-node-${round}.json`)));
  }
  return runs;
}

function summarize(runs) {
  const byName = new Map();
  for (const run of runs) {
    for (const e of run.engines) {
      if (!byName.has(e.name)) byName.set(e.name, { name: e.name, version: e.version, setup_ms: [], rounds: [] });
      const s = byName.get(e.name);
      s.setup_ms.push(e.setup_ms);
      s.rounds.push(...e.rounds);
      if (e.policy_fingerprint) s.policy_fingerprint = e.policy_fingerprint;
    }
  }
  const engines = ENGINE_ORDER.filter((n) => byName.has(n)).map((n) => {
    const s = byName.get(n);
    const pick = (field) => median(s.rounds.map((r) => r[field]));
    return {
      ...s,
      label: LABELS[n],
      setup_ms: median(s.setup_ms),
      p50_ns: pick('p50_ns'),
      p90_ns: pick('p90_ns'),
      p99_ns: pick('p99_ns'),
      mean_ns: pick('mean_ns'),
      throughput_per_s: pick('throughput_per_s'),
      throughput_per_cpu_s: pick('throughput_per_cpu_s'),
      allow_ratio: pick('allow_ratio'),
    };
  });
  const w = engines.find((e) => e.name === 'warden');
  for (const e of engines) {
    e.p50_vs_warden = e.p50_ns / w.p50_ns;
    e.p99_vs_warden = e.p99_ns / w.p99_ns;
    e.throughput_warden_over = w.throughput_per_cpu_s / e.throughput_per_cpu_s;
  }
  return engines;
}

function printTable(engines) {
  const rows = [['engine', 'version', 'p50', 'p99', 'decisions per CPU s', 'p50 ÷ Warden\'s', 'Warden\'s throughput ÷']];
  for (const e of engines) {
    rows.push([e.label, e.version ?? '', duration(e.p50_ns), duration(e.p99_ns), count(e.throughput_per_cpu_s), `${e.p50_vs_warden.toPrecision(3)}×`, `${e.throughput_warden_over.toPrecision(3)}×`]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

async function main() {
  const { values } = parseArgs({
    options: {
      'build-dir': { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      requests: { type: 'string' },
      models: { type: 'string' },
      grants: { type: 'string' },
      users: { type: 'string' },
      teams: { type: 'string' },
      orgs: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'min-seconds': { type: 'string', default: '2' },
      'check-only': { type: 'boolean', default: false },
    },
  });
  if (!values['build-dir']) throw new Error('usage: node run.mjs --build-dir DIR [--data DIR] [--out FILE] [--rounds R] ...');
  const build = path.resolve(values['build-dir']);
  const data = path.resolve(values.data ?? path.join(build, 'peers'));
  const out = path.resolve(values.out ?? path.join(data, 'results.json'));
  const ctx = {
    warden: path.join(build, 'cli/warden'),
    harness: path.join(build, 'bench/peers/warden_peers_harness'),
    data,
    artifact: path.join(data, 'peer.wdn'),
  };
  const started = new Date();
  const load_start = os.loadavg();

  console.log('== generating the scenario');
  const genArgs = ['--out', data];
  for (const name of ['seed', 'requests', 'models', 'grants', 'users', 'teams', 'orgs']) if (values[name] !== undefined) genArgs.push(`--${name}`, values[name]);
  sh('node', [path.join(here, 'generate.mjs'), ...genArgs], { stdio: 'inherit' });
  sh(ctx.warden, ['compile', path.join(peers, 'warden'), '-o', ctx.artifact], { stdio: 'inherit' });

  console.log('== setting up the Node engines (Cedar parses one policy set per model: this takes a while)');
  const nodeHarness = new NodeHarness(data, Number(values['min-seconds']));
  let runs, check;
  try {
    check = await crossCheck(ctx, nodeHarness);
    if (values['check-only']) return;
    runs = await timeAll(ctx, nodeHarness, Number(values.rounds), Number(values['min-seconds']));
  } finally {
    await nodeHarness.quit();
  }
  const engines = summarize(runs);
  const versions = {
    warden: sh(ctx.warden, ['--version']).toString().trim().replace(/^warden\s+/, ''),
    compiler: runs[0].compiler,
    node: process.version,
    ...Object.fromEntries(engines.filter((e) => e.name === 'casbin' || e.name === 'cedar').map((e) => [e.name, e.version])),
  };
  const results = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: { cpu: cpuModel(), cpus: os.cpus().length, load_average_start: load_start, load_average_end: os.loadavg() },
    scenario: readJson(path.join(data, 'scenario.json')),
    check,
    method: {
      rounds: Number(values.rounds),
      min_seconds: Number(values['min-seconds']),
      statistic: 'median over the rounds of each round\'s percentile; each decision timed alone',
      clock_overhead_ns: { cpp: median(runs.filter((r) => r.compiler).map((r) => r.clock_overhead_ns)), node: median(runs.filter((r) => r.node).map((r) => r.clock_overhead_ns)) },
    },
    versions,
    engines,
  };
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');

  console.log(`\n== results (${results.scenario.counts.models} models, ${results.scenario.counts.grants} grants, ${check.requests} requests; median of ${values.rounds} rounds)`);
  printTable(engines);
  console.log(`clock reads around each decision: ${results.method.clock_overhead_ns.cpp} ns (C++), ${results.method.clock_overhead_ns.node} ns (node), included above`);
  console.log(`versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`machine: ${results.machine.cpu}, ${results.machine.cpus} CPUs, load average ${load_start[0].toFixed(1)} at the start, ${results.machine.load_average_end[0].toFixed(1)} at the end`);
  console.log(`results: ${out}`);
}

main().catch((e) => {
  console.error(`peer benchmark: ${e.message}`);
  process.exit(1);
});
