// Facts checked against the policy from Node (F04xx, docs/facts.md):
// factsCheck 'warn' (the default) loads them and returns the findings,
// 'refuse' throws FactsError and keeps the facts in service; findings are
// placed by file, line and column, or by record for objects and arrays; a
// policy loaded later is checked against the facts in service.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const warden = require('warden');

const ROOT = path.resolve(__dirname, '../../..');
const REGISTER = { method: 'POST', path: '/api/2.0/mlflow/registered-models/create' };
const gateway = warden.compile(path.join(ROOT, 'policies/gateway')).artifact;
const EVE = { kind: 'entity', type: 'user', id: 'eve', tenant: 'acme', attributes: { org: 'acme' } };
const TYPO = { kind: 'key', id: 'k-typo', principal_id: 'eve', scopes: ['model:read', 'model:wirte'] };
const MESSAGE = 'unknown scope `model:wirte` in key `k-typo` (did you mean `model:write`?)';
const without = (o, key) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

test('the default is warn: loaded, the findings placed by record', () => {
  const engine = new warden.Engine(gateway);
  assert.equal(engine.factsCheck, 'warn');
  const found = engine.replaceFacts([EVE, TYPO]);
  assert.equal(found.total, 1);
  assert.deepEqual(found, [{
    code: 'F0403', message: MESSAGE, file: 'facts', line: 2, column: found[0].column, section: null, record: 1,
    warning: true,
  }]);
  assert.deepEqual(engine.lastFactFindings, found);
  assert.equal(engine.factsVersion, 1);
  assert.equal(engine.decide({ api_key: 'k-typo', tenant: 'acme', ...REGISTER }).code, 'SCOPE_MISSING');
});

test('refuse throws FactsError with the code and keeps the facts in service', () => {
  const engine = new warden.Engine(gateway, { factsCheck: 'refuse' });
  assert.equal(engine.factsCheck, 'refuse');
  assert.deepEqual(engine.replaceFacts(path.join(ROOT, 'fixtures/facts/gateway.jsonl')), []);
  const version = engine.factsVersion;
  assert.throws(() => engine.replaceFacts([EVE, TYPO]), (e) => {
    assert.ok(e instanceof warden.FactsError);
    assert.deepEqual([e.code, e.file, e.line, e.record, e.section, e.detail], ['F0403', 'facts', 2, 1, null, MESSAGE]);
    assert.equal(e.findings.length, 1);
    assert.equal(e.findings.total, 1);
    assert.equal(e.findings[0].warning, false);
    return true;
  });
  assert.equal(engine.factsVersion, version);
  assert.ok(engine.decide({ api_key: 'k-write', ...REGISTER }).allowed);
  // An error of its own (F01xx) has no findings.
  assert.throws(() => engine.replaceFacts([{ kind: 'key', id: 'k1' }]), (e) =>
    e.code === 'F0102' && e.findings.length === 0 && e.record === 0);
});

test('a call chooses for itself', () => {
  const engine = new warden.Engine(gateway);
  assert.throws(() => engine.replaceFacts([EVE, TYPO], { factsCheck: 'refuse' }), { code: 'F0403' });
  assert.equal(engine.factsVersion, 0);
  engine.factsCheck = 'refuse';
  assert.equal(engine.replaceFacts([EVE, TYPO], { factsCheck: 'warn' }).total, 1);
  assert.throws(() => engine.replaceFacts([EVE], { factsCheck: 'loose' }), TypeError);
  assert.throws(() => { engine.factsCheck = 'strict'; }, TypeError);
  assert.throws(() => new warden.Engine(gateway, { factsCheck: true }), TypeError);
  assert.equal(engine.factsCheck, 'refuse');
});

test('a fact document places a finding by section and index', () => {
  const engine = new warden.Engine(gateway);
  const okKey = { id: 'k-ok', principal_id: 'eve', scopes: ['model:read'] };
  const found = engine.replaceFacts({ entities: [without(EVE, 'kind')], keys: [okKey, without(TYPO, 'kind')] });
  assert.deepEqual(found.map((f) => [f.code, f.section, f.record, f.file]), [['F0403', 'keys', 1, 'facts']]);
  assert.throws(() => engine.replaceFacts({ keys: [okKey, { id: 'k2' }] }),
    (e) => e.code === 'F0102' && e.section === 'keys' && e.record === 1);
  const two = engine.replaceFacts([EVE], { keys: [without(TYPO, 'kind')] });
  assert.deepEqual(two.map((f) => [f.file, f.section, f.record]), [['facts[1]', 'keys', 0]]);
});

test('a file places a finding by line and column; updates check upserts only', () => {
  const engine = new warden.Engine(gateway);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-facts-check-'));
  const file = path.join(dir, 'facts.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(EVE)}\n${JSON.stringify(TYPO)}\n`);
  const [f] = engine.replaceFacts(file);
  assert.deepEqual([f.file, f.line, f.record], [file, 2, null]);
  assert.ok(f.column > 1);
  const found = engine.apply([
    { op: 'remove', kind: 'key', id: 'k-typo' },
    { op: 'upsert', ...TYPO },
    { op: 'upsert', kind: 'entity', type: 'modle', id: 'churn' },
  ]);
  assert.deepEqual(found.map((x) => [x.code, x.record]), [['F0403', 1], ['F0401', 2]]);
  assert.throws(() => engine.apply([{ op: 'remove', kind: 'key', id: 'k-typo' }, { op: 'upsert', ...TYPO }],
    { factsCheck: 'refuse' }), (e) => e.code === 'F0403' && e.record === 1);
  assert.equal(engine.factsVersion, 2);  // all or nothing
  assert.deepEqual(engine.apply([{ op: 'remove', kind: 'key', id: 'k-typo' }], { factsCheck: 'refuse' }), []);
  assert.deepEqual(engine.lastFactFindings, []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a policy loaded later is checked against the facts in service, never refused', () => {
  const names = warden.compile(path.join(ROOT, 'fixtures/facts_check/names')).artifact;
  const engine = new warden.Engine(undefined, { factsCheck: 'refuse' });
  assert.deepEqual(engine.replaceFacts(path.join(ROOT, 'fixtures/facts_check/names/facts.jsonl')), []);
  const version = engine.factsVersion;
  const found = engine.loadPolicy(names);
  const expected = fs.readFileSync(path.join(ROOT, 'fixtures/facts_check/names/expected.txt'), 'utf8')
    .split('\n').filter((l) => l);
  assert.equal(found.total, expected.length);
  assert.ok(found.every((f) => f.code.startsWith('F04') && f.file === '' && f.record === null && f.warning));
  assert.deepEqual(found.map((f) => f.message).sort(), expected.map((l) => l.split(']: ')[1]).sort());
  assert.ok(engine.hasPolicy);
  assert.equal(engine.factsVersion, version);
  assert.deepEqual(engine.lastFactFindings, found);
  assert.deepEqual(engine.checkFacts(), found);
});

test('a watcher reports its findings', () => {
  const engine = new warden.Engine(gateway);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-facts-check-'));
  const file = path.join(dir, 'facts.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(EVE)}\n${JSON.stringify(TYPO)}\n`);
  const w = engine.watch({ facts: [file], debounceMs: 1 });
  try {
    const [f] = engine.lastFactFindings;
    assert.deepEqual([f.code, f.file, f.line], ['F0403', file, 2]);
  } finally {
    w.stop();
  }
  assert.throws(() => new warden.Engine(gateway).watch({ facts: [file], factsCheck: 'refuse' }),
    (e) => e instanceof warden.WatchError && e.code === 'F0403');
  fs.rmSync(dir, { recursive: true, force: true });
});
