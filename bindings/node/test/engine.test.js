// warden.Engine and warden.Decision from Node: the gateway scenario,
// explanations, request reading, facts and updates, errors with codes.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const warden = require('warden');

const ROOT = path.resolve(__dirname, '../../..');
const REGISTER = { method: 'POST', path: '/api/2.0/mlflow/registered-models/create' };
const T = '2026-03-01T12:00:00Z';
const compiled = warden.compile(path.join(ROOT, 'policies/gateway'));

function gateway() {
  const engine = new warden.Engine(compiled.artifact);
  engine.replaceFacts(path.join(ROOT, 'fixtures/facts/gateway.jsonl'));
  return engine;
}

test('a read-only key registering a model is refused naming model:write', () => {
  const d = gateway().decide({ api_key: 'k-read', request_id: 'r-1', context: { time: T }, ...REGISTER });
  assert.equal(d.outcome, 'deny');
  assert.equal(d.allowed, false);
  assert.equal(d.code, 'SCOPE_MISSING');
  assert.match(d.required, /`model:write`/);
  assert.match(d.hint, /`model:write`/);
  assert.match(d.present, /`model:read`/);
  assert.equal(d.requestId, 'r-1');
  assert.equal(d.endpoint, 'POST /api/2.0/mlflow/registered-models/create');
  assert.equal(d.httpStatus, 403);
});

test('a write key registers a model, with the rule and the source', () => {
  const engine = gateway();
  const d = engine.decide({ apiKey: 'k-write', context: { time: new Date(T) }, ...REGISTER });
  assert.equal(d.allowed, true);
  assert.equal(d.code, 'ALLOW');
  assert.deepEqual(d.rules.map((r) => r.name), ['model_writers']);
  assert.match(d.rules[0].file, /rules\.warden$/);
  assert.equal(d.source, 'scope');
  assert.equal(d.tenant, 'acme');
  assert.equal(d.policyFingerprint, engine.policyFingerprint);
  assert.equal(d.factsVersion, 1);
  assert.equal(d.httpStatus, 200);
});

test('toJSON is the runtime explanation JSON and agrees with decideJson', () => {
  const engine = gateway();
  const text = fs.readFileSync(path.join(ROOT, 'fixtures/requests/gateway/read_key_registers_model.json'), 'utf8');
  const fromJson = engine.decideJson(text);
  const fromObject = engine.decide(JSON.parse(text));
  assert.deepEqual(fromObject.toJSON(), fromJson.toJSON());
  assert.deepEqual(Object.keys(fromObject.toJSON()), [
    'outcome', 'allowed', 'code', 'message', 'hint', 'required', 'present', 'rules', 'source', 'source_detail',
    'grant_id', 'endpoint', 'raw_path', 'path', 'action', 'resource_type', 'resource_id', 'principal', 'caller',
    'client_ip', 'tenant', 'request_id', 'policy_fingerprint', 'facts_version',
  ]);
  assert.equal(JSON.stringify(fromObject), String(fromObject));
  const j = fromObject.toJSON();
  assert.equal(fromObject.code, j.code);
  assert.equal(fromObject.outcome, j.outcome);
  assert.equal(fromObject.allowed, j.allowed);
});

test('the compact and the JSON forms of a decision are the same explanation', () => {
  const engine = gateway();
  const requests = [
    { api_key: 'k-read', method: 'GET', path: '/api/models/churn' },
    { api_key: 'k-read', ...REGISTER, request_id: 'quote " and \\ backslash\ttab' },
    { api_key: 'k-globex', method: 'GET', path: '/api/models/churn' },
    { api_key: 'k-read', method: 'GET', path: '/api/2.0/mlflow/registered-models/get?name=caf%C3%A9' }, // not ASCII
    { api_key: 'k-read', method: 'GET', path: '/api/2.0/mlflow/registered-models/get?name=a%00b' }, // a NUL
    { api_key: 'k-read', method: 'GET', path: '/api/2.0/mlflow/registered-models/get?name=' + 'x'.repeat(300) }, // cut
    { method: 'GET', path: '/nowhere' },
  ];
  for (const r of requests) {
    const d = engine.decide(r);
    const reference = engine.decideJson(JSON.stringify(r));
    assert.equal(String(d), String(reference), JSON.stringify(r));
    assert.deepEqual(d.toJSON(), reference.toJSON());
    assert.equal(d.code, reference.code);
    assert.equal(d.allowed, reference.allowed);
    assert.equal(d.outcome, reference.outcome);
  }
  assert.equal(engine.decide(requests[3]).resourceId, 'café');
  assert.equal(engine.decide(requests[4]).resourceId, 'a\0b');
});

test('trace on request', () => {
  const engine = gateway();
  const d = engine.decide({ api_key: 'k-read', method: 'GET', path: '/api/models/churn' }, { trace: true });
  assert.ok(d.trace.length > 0);
  assert.ok(d.trace.some((e) => e.kind === 'rule'));
  assert.equal(engine.decide({ api_key: 'k-read', method: 'GET', path: '/api/models/churn' }).trace, null);
});

test('query strings, header objects, raw header lists and pairs', () => {
  const engine = gateway();
  const d = engine.decide({ api_key: 'k-read', method: 'GET', path: '/api/2.0/mlflow/registered-models/get?name=churn',
    headers: ['X-Tenant-ID', 'acme'] });
  assert.equal(d.allowed, true);
  assert.equal(d.resourceId, 'churn');
  const other = engine.decide({ api_key: 'k-read', method: 'GET', path: '/api/2.0/mlflow/registered-models/get',
    query: { name: 'globex-ranker' }, headers: { 'x-tenant-id': 'acme' } });
  assert.equal(other.code, 'TENANT_MISMATCH');
  const pairs = engine.decide({ api_key: 'k-read', method: 'GET', path: '/api/models/churn',
    headers: [['x-tenant-id', 'globex']] });
  assert.equal(pairs.code, 'TENANT_MISMATCH');
});

test('isolation holds on an endpoint that only requires scopes', () => {
  // alice (tenant acme) holds model:read, all the artifact download requires.
  const engine = gateway();
  const artifact = { method: 'GET', path: '/api/2.0/mlflow-artifacts/artifacts/models/churn/model.pkl' };
  const cross = engine.decide({ api_key: 'k-read', headers: { 'X-Tenant-ID': 'globex' }, ...artifact });
  assert.equal(cross.code, 'TENANT_MISMATCH');
  assert.equal(cross.httpStatus, 403);
  assert.equal(cross.tenant, 'globex');
  assert.ok(cross.message.includes('tenant `globex` may not reach tenant `acme`'));
  assert.equal(engine.decide({ api_key: 'k-read', headers: { 'X-Tenant-ID': 'acme' }, ...artifact }).allowed, true);
});

test('unauthenticated and unknown keys are 401; no policy is 503', () => {
  const engine = gateway();
  assert.equal(engine.decide(REGISTER).httpStatus, 401);
  const d = engine.decide({ api_key: 'k-nope', ...REGISTER });
  assert.equal(d.code, 'KEY_UNKNOWN');
  assert.equal(d.httpStatus, 401);
  const none = new warden.Engine().decide({ api_key: 'k', method: 'GET', path: '/' });
  assert.equal(none.code, 'NO_POLICY');
  assert.equal(none.httpStatus, 503);
});

test('malformed requests throw RequestError with the JSON reader codes', () => {
  const engine = gateway();
  const cases = [
    [{ method: 'GET' }, 'F0202'],
    [{ path: '/x' }, 'F0202'],
    [{}, 'F0202'],
    [{ method: 'GET', path: '/x', action: 'read', resource: { type: 'model' } }, 'F0209'],
    [{ method: 'GET', path: 'x' }, 'F0208'],
    [{ method: 'GET', path: '/x', colour: 'red' }, 'F0204'],
    [{ method: 3, path: '/x' }, 'F0203'],
    [{ method: 'GET', path: '/x', context: { time: 'yesterday' } }, 'F0206'],
    [{ method: 'GET', path: '/x', context: { time: 1e30 } }, 'F0203'],
    [{ method: 'GET', path: '/x', context: { time: -1e30 } }, 'F0203'],
    [{ method: 'GET', path: '/x', context: { client_ip: '300.1.1.1' } }, 'F0208'],
    [{ action: 'read', resource: { id: 'm' } }, 'F0202'],
    [{ method: 'GET', path: '/x', principal: { id: 'a', attributes: { x: 1.5 } } }, 'F0203'],
    [{ method: 'GET', path: '/x', principal: { name: 'a' } }, 'F0204'],
  ];
  for (const [request, code] of cases) {
    assert.throws(() => engine.decide(request), (e) => e instanceof warden.RequestError && e.code === code,
      JSON.stringify(request));
    assert.throws(() => engine.decideJson(JSON.stringify(request)), (e) => e.code === code, JSON.stringify(request));
  }
  // Not a JSON value, so not in the table above: an infinity is no Unix time either.
  assert.throws(() => engine.decide({ method: 'GET', path: '/x', context: { time: Infinity } }),
    (e) => e instanceof warden.RequestError && e.code === 'F0203');
  assert.throws(() => engine.decide({ api_kye: 'k', ...REGISTER }), /did you mean `api_key`/);
});

test('a corrupt artifact is refused and the running policy stays', () => {
  const engine = gateway();
  const before = engine.policyFingerprint;
  assert.throws(() => engine.loadPolicy(compiled.artifact.subarray(0, 100)),
    (e) => e instanceof warden.PolicyError && e.code.startsWith('E050'));
  assert.throws(() => engine.loadPolicy(Buffer.from('not an artifact')), warden.PolicyError);
  assert.equal(engine.policyFingerprint, before);
  assert.equal(engine.decide({ api_key: 'k-write', ...REGISTER }).allowed, true);
  assert.throws(() => warden.Engine.fromFile('/nonexistent.wdn'), (e) => e.code === 'E0506');
});

test('facts from documents, records and files; errors name the place and change nothing', () => {
  const engine = new warden.Engine(compiled.artifact);
  engine.replaceFacts({ entities: [{ type: 'org', id: 'acme', tenant: 'acme', attributes: { status: 'active' } },
    { type: 'user', id: 'ann', tenant: 'acme', attributes: { org: 'acme' } }] },
    [{ kind: 'key', id: 'k-ann', principal_id: 'ann', scopes: ['model:write'] }]);
  assert.equal(engine.decide({ api_key: 'k-ann', ...REGISTER }).allowed, true);
  assert.equal(engine.factsVersion, 1);
  assert.throws(() => engine.replaceFacts([{ kind: 'key', id: 'k1', principal_id: 'a' }, { kind: 'key', id: 'k2' }]),
    (e) => e instanceof warden.FactsError && e.code === 'F0102' && e.file === 'facts' && e.line === 2);
  assert.throws(() => engine.replaceFacts(path.join(ROOT, 'fixtures/facts/invalid/unknown_field.jsonl')),
    (e) => e.code === 'F0104' && e.line === 2);
  assert.throws(() => engine.replaceFacts(42), TypeError);
  assert.equal(engine.factsVersion, 1);
  assert.equal(engine.decide({ api_key: 'k-ann', ...REGISTER }).allowed, true);
});

test('updates apply atomically', () => {
  const engine = gateway();
  engine.apply([{ op: 'upsert', kind: 'key', id: 'k-new', principal_id: 'alice', scopes: ['model:write'] }]);
  assert.equal(engine.decide({ api_key: 'k-new', ...REGISTER }).allowed, true);
  assert.throws(() => engine.apply([
    { op: 'remove', kind: 'key', id: 'k-new' },
    { op: 'remove', kind: 'key', id: 'k-never-there' },
  ]), (e) => e instanceof warden.FactsError && e.line === 2 && e.code.startsWith('F03'));
  assert.equal(engine.decide({ api_key: 'k-new', ...REGISTER }).allowed, true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-node-'));
  const update = path.join(dir, 'revoke.jsonl');
  fs.writeFileSync(update, '{"op":"upsert","kind":"key","id":"k-new","principal_id":"alice","revoked":true}\n');
  engine.apply(update);
  assert.equal(engine.decide({ api_key: 'k-new', ...REGISTER }).code, 'KEY_REVOKED');
  fs.rmSync(dir, { recursive: true });
});

test('authorizedResources lists exactly what decide allows', () => {
  const engine = gateway();
  const ids = engine.authorizedResources('read', 'model', { api_key: 'k-read', context: { time: T } });
  assert.deepEqual(ids, ['churn', 'fraud-detector']);
  for (const id of ids) {
    assert.equal(engine.decide({ api_key: 'k-read', action: 'read', resource: { type: 'model', id } }).allowed, true);
  }
  assert.deepEqual(engine.authorizedResources('read', 'model', { api_key: 'k-globex' }), ['globex-ranker']);
});

test('compile returns the artifact or the diagnostics', () => {
  assert.equal(compiled.ok, true);
  assert.equal(compiled.name, 'gateway');
  assert.ok(Buffer.isBuffer(compiled.artifact));
  assert.equal(new warden.Engine(compiled.artifact).policyFingerprint, compiled.fingerprint);
  const bad = warden.compile(path.join(ROOT, 'fixtures/diagnostics/E0204'));
  assert.equal(bad.ok, false);
  assert.equal(bad.artifact, null);
  assert.equal(bad.failure, 'policy');
  const [first] = bad.diagnostics;
  assert.equal(first.code, 'E0204');
  assert.equal(first.severity, 'error');
  assert.ok(first.line > 0 && first.column > 0);
  assert.match(first.text, /error\[E0204\]/);
  assert.equal(first.toJSON().code, 'E0204');
  assert.equal(warden.compile(path.join(ROOT, 'fixtures/diagnostics/W0401'), { werror: true }).ok, false);
});

test('watch reloads a replaced artifact and refuses a corrupt one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-node-'));
  const artifact = path.join(dir, 'policy.wdn');
  fs.writeFileSync(artifact, compiled.artifact);
  const engine = new warden.Engine();
  const watcher = engine.watch({ artifact, debounceMs: 1 });
  const replace = (data) => {
    fs.writeFileSync(`${artifact}.tmp`, data);
    fs.renameSync(`${artifact}.tmp`, artifact);
  };
  const waitFor = async (predicate) => {
    const deadline = Date.now() + 10000;
    while (!predicate()) {
      assert.ok(Date.now() < deadline, 'timed out waiting for a reload');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    const first = engine.policyFingerprint;
    replace(warden.compile(path.join(ROOT, 'fixtures/diff/gateway_v2')).artifact);
    await waitFor(() => engine.policyFingerprint !== first);
    const second = engine.policyFingerprint;
    replace(Buffer.from('WARDEN corrupt'));
    await waitFor(() => watcher.counters()[0].failures === 1);
    assert.equal(engine.policyFingerprint, second);
    assert.match(watcher.counters()[0].last_failure.code, /^E05/);
  } finally {
    watcher.stop();
    fs.rmSync(dir, { recursive: true });
  }
  assert.throws(() => new warden.Engine().watch({ artifact: path.join(dir, 'missing.wdn') }), warden.WatchError);
  assert.throws(() => new warden.Engine().watch({}), /needs an artifact file, fact files or both/);
});
