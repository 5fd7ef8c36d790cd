// Facts from PostgreSQL in Node: Engine#followPostgres() against a real,
// throwaway cluster (tests/postgres/throwaway_cluster.py) with the example
// schema, mapping and policy (examples/postgres/). A committed grant reaches
// a decision, a revoked one stops reaching it; a mapping or a database that
// cannot be used throws FactsError with its code and changes nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const warden = require('warden');

const helper = path.resolve('tests/postgres/throwaway_cluster.py');
const py = (...args) => execFileSync('/usr/bin/python3', [helper, ...args], { encoding: 'utf8' }).trim();
const cluster = JSON.parse(py('start'));
test.after(() => py('stop', cluster.dir));
const MAPPING = 'examples/postgres/mapping.toml';

function database(name) {
  const url = py('database', String(cluster.port), name);
  execFileSync(process.env.WARDEN_BIN, ['facts', 'install-triggers', '--db', url, MAPPING]);
  return url;
}

function engine() {
  const c = warden.compile('examples/postgres/policy');
  return new warden.Engine(c.artifact);
}

const read = (e, user, model) =>
  e.decide({ principal: { type: 'user', id: user }, action: 'read', resource: { type: 'model', id: model } });

// Poll `done` until it holds or the deadline passes: the condition is the sentinel.
async function eventually(done, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return done();
}

test('facts follow the database: a grant reaches a decision, its revocation too', async () => {
  const url = database('node_follow');
  const e = engine();
  const facts = e.followPostgres(url, MAPPING);
  try {
    const status = facts.status();
    assert.strictEqual(status.state, 'live');
    assert.ok(status.loaded && status.position.startsWith('snapshot '));
    assert.strictEqual(facts.stale, false);
    assert.ok(read(e, 'alice', 'churn').allowed);
    assert.strictEqual(read(e, 'bob', 'churn').code, 'PERMISSION_DENIED');
    py('sql', url, "INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) VALUES (42, 'churn', 'user', 'bob', 'READ')");
    assert.ok(await eventually(() => read(e, 'bob', 'churn').allowed));
    assert.strictEqual(read(e, 'bob', 'churn').grantId, '42');
    py('sql', url, 'UPDATE model_permissions SET is_active = false WHERE id = 42');
    assert.ok(await eventually(() => !read(e, 'bob', 'churn').allowed));
    assert.ok(facts.status().counters.changes >= 2);
  } finally {
    facts.stop();
  }
  assert.strictEqual(facts.status().state, 'stopped');
  assert.ok(read(e, 'alice', 'churn').allowed); // the engine keeps its facts
});

test('a refused mapping or an unreachable database throws FactsError with its code', () => {
  const url = database('node_refused');
  const e = engine();
  const before = e.factsVersion;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-mapping-'));
  fs.writeFileSync(path.join(dir, 'bad.toml'), '[grants\n');
  assert.throws(() => e.followPostgres(url, path.join(dir, 'bad.toml')),
    (err) => err instanceof warden.FactsError && err.code === 'P0101');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.throws(() => e.followPostgres(url.replace('/node_refused', '/no_such_database'), MAPPING),
    (err) => err instanceof warden.FactsError && err.code === 'P0301');
  assert.strictEqual(e.factsVersion, before);
});

test('rows naming what the policy does not declare: refused with factsCheck refuse, else loaded with warnings', () => {
  const url = database('node_facts_check');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-pg-check-'));
  const mapping = path.join(dir, 'mapping.toml');
  const level = 'level = { column = "permission_level", map = { READ = "read", WRITE = "write", ' +
    'EXECUTE = "execute", ADMIN = "admin" } }';
  const text = fs.readFileSync(MAPPING, 'utf8');
  assert.ok(text.includes(level));
  fs.writeFileSync(mapping, text.replace(level, 'level = { sql = "lower(permission_level)" }'));
  py('sql', url, 'ALTER TABLE model_permissions DROP CONSTRAINT model_permissions_permission_level_check');
  py('sql', url, "INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) VALUES (11, 'churn', 'user', 'bob', 'SUPERUSER')");
  const finding = 'row `11` of public.model_permissions: unknown level `superuser` in grant `11`';
  const e = engine();
  assert.throws(() => e.followPostgres(url, mapping, { factsCheck: 'refuse' }), (err) =>
    err instanceof warden.FactsError && err.code === 'F0404' && err.findings.length === 1 &&
    err.findings[0].message === finding);
  assert.strictEqual(e.factsVersion, 0);
  const facts = e.followPostgres(url, mapping);
  try {
    assert.strictEqual(e.factsVersion, 1);
    const [f] = e.lastFactFindings;
    assert.deepStrictEqual([f.code, f.message, f.warning], ['F0404', finding, true]);
    assert.strictEqual(facts.status().counters.fact_findings, 1);
    assert.ok(!read(e, 'bob', 'churn').allowed);
  } finally {
    facts.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
