// The addon in several worker threads at once: each loads its own engine
// (handles are per thread) and decides; every decision is the one the main
// thread gets.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const ROOT = path.resolve(__dirname, '../../..');

const body = `
const { parentPort, workerData } = require('node:worker_threads');
const warden = require('warden');
const engine = new warden.Engine(warden.compile(workerData.policy).artifact);
engine.replaceFacts(workerData.facts);
const codes = [];
for (let i = 0; i < 2000; i++) {
  const key = i % 2 ? 'k-read' : 'k-write';
  codes.push(engine.decide({ api_key: key, method: 'POST', path: '/api/2.0/mlflow/registered-models/create',
                              request_id: 'w' + i }).code);
}
parentPort.postMessage(codes);
`;

test('four workers decide at once', async () => {
  const workerData = { policy: path.join(ROOT, 'policies/gateway'), facts: path.join(ROOT, 'fixtures/facts/gateway.jsonl') };
  const results = await Promise.all([0, 1, 2, 3].map(() => new Promise((resolve, reject) => {
    const w = new Worker(body, { eval: true, workerData });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  for (const codes of results) {
    assert.equal(codes.length, 2000);
    codes.forEach((code, i) => assert.equal(code, i % 2 ? 'SCOPE_MISSING' : 'ALLOW'));
  }
});
