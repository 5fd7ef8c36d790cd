// Signed artifacts from Node: an Engine with verify keys loads only
// artifacts signed by one of them and refuses the rest with the codes of
// docs/signing.md, keeping the policy it runs. Keys and artifacts are made
// by the command line (`warden keygen`, `warden compile --sign`).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const warden = require('warden');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-signing-'));
const cli = process.env.WARDEN_BIN;
for (const name of ['release', 'other']) execFileSync(cli, ['keygen', path.join(dir, name)]);
execFileSync(cli, ['compile', '--sign', path.join(dir, 'release.key'), 'policies/gateway', '-o', path.join(dir, 'signed.wdn')]);
execFileSync(cli, ['compile', 'policies/gateway', '-o', path.join(dir, 'unsigned.wdn')]);
const at = (name) => path.join(dir, name);
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const REGISTER = { method: 'POST', path: '/api/2.0/mlflow/registered-models/create', api_key: 'k-write',
  context: { time: '2026-03-01T12:00:00Z' } };

test('a signed artifact loads under its key, given as a path or as text', () => {
  const e = warden.Engine.fromFile(at('signed.wdn'), { verifyKeys: [at('release.pub')] });
  e.replaceFacts('fixtures/facts/gateway.jsonl');
  assert.ok(e.decide(REGISTER).allowed);
  const e2 = new warden.Engine(fs.readFileSync(at('signed.wdn')), { verifyKeys: fs.readFileSync(at('release.pub'), 'utf8') });
  assert.strictEqual(e2.policyFingerprint, e.policyFingerprint);
});

test('artifacts not signed by a given key are refused with their code, the running policy stays', () => {
  const refused = (fn) => { try { fn(); } catch (err) { assert.ok(err instanceof warden.PolicyError); return err.code; } return 'loaded'; };
  assert.strictEqual(refused(() => warden.Engine.fromFile(at('unsigned.wdn'), { verifyKeys: at('release.pub') })), 'E0509');
  assert.strictEqual(refused(() => warden.Engine.fromFile(at('signed.wdn'), { verifyKeys: [at('other.pub')] })), 'E0510');
  const e = warden.Engine.fromFile(at('signed.wdn'), { verifyKeys: [at('other.pub'), at('release.pub')] });
  const before = e.policyFingerprint;
  assert.strictEqual(refused(() => e.loadPolicyFile(at('unsigned.wdn'))), 'E0509');
  assert.strictEqual(e.policyFingerprint, before);
  e.setVerifyKeys([]);
  e.loadPolicyFile(at('unsigned.wdn'));
  assert.ok(e.hasPolicy);
});

test('a key that cannot be read is E0512, naming which', () => {
  fs.writeFileSync(at('bad.pub'), 'not a key\n');
  assert.throws(() => new warden.Engine(null, { verifyKeys: [at('release.pub'), at('bad.pub')] }),
    (err) => err instanceof warden.PolicyError && err.code === 'E0512' && /verify key 2 of 2/.test(err.message));
});
