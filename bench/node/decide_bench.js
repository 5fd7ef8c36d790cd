// Per-call decision latency from Node (docs/performance.md, "Bindings").
//
//   build-release/bench/warden_bench_bindings --write-data build-release/bench-data
//   NODE_PATH=build-release/bindings/node node bench/node/decide_bench.js build-release/bench-data [WORKERS] [SECONDS]
//
// Each scenario (bench/binding_scenarios.hpp: the same facts and 4096
// requests the C++ baseline decides) is loaded through the addon: the policy
// with warden.compile(), the facts with replaceFacts(), the requests as
// objects (JSON.parse of each line). Every call is timed alone with
// process.hrtime.bigint(); the cost of the two clock reads (measured, printed
// as `clock`) is included, as the steady clock's is in C++'s.
//
//   decide            engine.decide(request) -> Decision (the explanation is
//                     computed and held as its JSON text)
//   decide+fields     the same, then .allowed and .code read
//   decide+toJSON     the same, then the whole explanation as an object
//   no-policy floor   an engine without a policy: the binding's own cost
//
// Workers: N worker threads, each with its own engine (an engine handle
// belongs to one thread), deciding at once.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const warden = require('warden');

const ROOT = path.resolve(__dirname, '../..');

function load(data, name) {
  const engine = new warden.Engine(warden.compile(path.join(ROOT, 'policies', name)).artifact);
  engine.replaceFacts(path.join(data, `${name}.facts.jsonl`));
  const requests = fs.readFileSync(path.join(data, `${name}.requests.jsonl`), 'utf8')
    .split('\n').filter((l) => l).map((l) => JSON.parse(l));
  return { engine, requests };
}

function timed(call, requests, seconds, offset = 0) {
  const samples = [];
  const n = requests.length;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  for (let i = 0; ; i++) {
    const r = requests[(i + offset) % n];
    const t0 = process.hrtime.bigint();
    call(r);
    const t1 = process.hrtime.bigint();
    samples.push(Number(t1 - t0));
    if ((i & 1023) === 0 && t1 > deadline) return samples;
  }
}

function percentiles(samples) {
  samples.sort((a, b) => a - b);
  return [samples[samples.length >> 1], samples[Math.floor(samples.length * 0.99)]];
}

function calls(engine) {
  return {
    decide: (r) => engine.decide(r),
    'decide+fields': (r) => { const d = engine.decide(r); return d.allowed && d.code; },
    'decide+toJSON': (r) => engine.decide(r).toJSON(),
  };
}

function report(label, workers, samples, elapsed) {
  const [p50, p99] = percentiles(samples);
  console.log(`  ${label.padEnd(16)} workers=${workers}  p50 ${(p50 / 1000).toFixed(2).padStart(6)} us  ` +
    `p99 ${(p99 / 1000).toFixed(2).padStart(6)} us  ${(samples.length / elapsed / 1e6).toFixed(2)} M decisions/s`);
}

async function main() {
  const data = process.argv[2];
  const workers = Number(process.argv[3] || 2);
  const seconds = Number(process.argv[4] || 2);
  if (!data) throw new Error('usage: decide_bench.js DATA_DIR [WORKERS] [SECONDS]');
  const empty = timed(() => undefined, [null], 0.5);
  console.log(`clock (two hrtime.bigint() reads and a call to an empty function): p50 ${percentiles(empty)[0]} ns`);
  for (const name of ['gateway', 'model_permissions']) {
    const { engine, requests } = load(data, name);
    console.log(`${name}: ${requests.length} requests, facts version ${engine.factsVersion}`);
    for (const [label, call] of Object.entries(calls(engine))) {
      timed(call, requests, 0.3); // warm up (JIT)
      const t0 = Date.now();
      const samples = timed(call, requests, seconds);
      report(label, 1, samples, (Date.now() - t0) / 1000);
    }
    if (name === 'gateway') {
      const floor = new warden.Engine();
      timed((r) => floor.decide(r), requests, 0.3);
      const t0 = Date.now();
      report('no-policy floor', 1, timed((r) => floor.decide(r), requests, seconds), (Date.now() - t0) / 1000);
    }
    if (workers > 1) {
      const results = await Promise.all(Array.from({ length: workers }, (_, k) => new Promise((resolve, reject) => {
        const w = new Worker(__filename, { workerData: { data, name, seconds, offset: k * 997 } });
        w.once('message', resolve);
        w.once('error', reject);
      })));
      const elapsed = Math.max(...results.map((r) => r.elapsed));
      report('decide', workers, results.flatMap((r) => r.samples), elapsed);
    }
  }
}

if (isMainThread) {
  main().catch((e) => { console.error(e); process.exit(1); });
} else {
  const { engine, requests } = load(workerData.data, workerData.name);
  const call = (r) => engine.decide(r);
  timed(call, requests, 0.3, workerData.offset);
  const t0 = Date.now();
  const samples = timed(call, requests, workerData.seconds, workerData.offset);
  parentPort.postMessage({ samples, elapsed: (Date.now() - t0) / 1000 });
}
