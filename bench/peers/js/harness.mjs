// The peer benchmark's Node side: the plain JavaScript evaluator, node-casbin
// and Cedar's WebAssembly build, on the data and requests generate.mjs
// wrote. Run by run.mjs, which talks to it over standard input and output,
// one line each way, so that the engines are set up once (Cedar's policy
// sets take a while) and their timing rounds can alternate with the C++
// harness's:
//
//   node harness.mjs --data DIR [--engines a,b] [--min-seconds S]
//   <- {"ready":true,"engines":[{name,version,setup_ms}...]}
//   -> check FILE   every engine decides every request; FILE gets
//                   {"engines":[{name,version,setup_ms,decisions:"0110…"}]}
//   -> time FILE    one round: per engine, p50/p90/p99/mean of decisions
//                   timed alone and decisions per second (timing.mjs); FILE
//                   gets {"engines":[{name,…,rounds:[{…}]}],"clock_overhead_ns":…}
//   <- {"done":"check"|"time"} after each, {"error":"…"} on failure
//   -> quit (or end of input)
// Progress goes to standard error.
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

import { CasbinEngine } from './casbin_engine.mjs';
import { CedarEngine } from './cedar_engine.mjs';
import { PlainEvaluator } from './plain_evaluator.mjs';
import { readRequests, readScenario } from './scenario_data.mjs';
import { clockOverheadNs, timeEngine } from './timing.mjs';

const NODE_ENGINES = ['plain-js', 'casbin', 'cedar'];

async function createEngine(name, dir, db) {
  switch (name) {
    case 'plain-js':
      return { engine: new PlainEvaluator(db), version: process.version };
    case 'casbin':
      return { engine: await CasbinEngine.create(dir, db), version: CasbinEngine.version() };
    case 'cedar':
      return { engine: new CedarEngine(dir, db), version: CedarEngine.version() };
    default:
      throw new Error(`unknown engine \`${name}\` (known: ${NODE_ENGINES.join(', ')})`);
  }
}

const reply = (message) => process.stdout.write(JSON.stringify(message) + '\n');

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      engines: { type: 'string', default: NODE_ENGINES.join(',') },
      'min-seconds': { type: 'string', default: '2' },
    },
  });
  const minSeconds = Number(values['min-seconds']);
  if (!values.data || !(minSeconds > 0)) throw new Error('usage: node harness.mjs --data DIR [--engines a,b] [--min-seconds S]');

  const db = readScenario(values.data);
  const requests = readRequests(values.data);
  const engines = [];
  for (const name of values.engines.split(',')) {
    const t = performance.now();
    const { engine, version } = await createEngine(name, values.data, db);
    engines.push({ name, engine, info: { name, version, setup_ms: performance.now() - t } });
    console.error(`${name} ${version}: ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  for (const e of engines) e.info.harness_rss_mb = rssMb;
  console.error(`node harness ready: ${rssMb} MB resident`);
  reply({ ready: true, engines: engines.map((e) => e.info) });

  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [command, file] = line.trim().split(/\s+/, 2);
    if (command === 'quit') break;
    if (command === 'check' && file) {
      const out = [];
      for (const { engine, info } of engines) {
        let decisions = '';
        for (const r of requests) decisions += engine.decide(r) ? '1' : '0';
        out.push({ ...info, decisions });
      }
      fs.writeFileSync(file, JSON.stringify({ engines: out }) + '\n');
      reply({ done: 'check' });
    } else if (command === 'time' && file) {
      const out = [];
      for (const { name, engine, info } of engines) {
        const round = timeEngine(requests, (r) => engine.decide(r), minSeconds);
        console.error(`  ${name}: p50 ${round.p50_ns} ns, p99 ${round.p99_ns} ns, ${Math.round(round.throughput_per_cpu_s)} decisions per CPU second`);
        out.push({ ...info, rounds: [round] });
      }
      fs.writeFileSync(file, JSON.stringify({ node: process.version, clock_overhead_ns: clockOverheadNs(), engines: out }) + '\n');
      reply({ done: 'time' });
    } else {
      reply({ error: `unknown command \`${line}\`` });
    }
  }
}

main().catch((e) => {
  reply({ error: e.message });
  console.error(e.stack);
  process.exit(1);
});
