// A decision from Node equals the C++ decision on the same request: every
// case of the reference fixture suites, decided in C++ by
// tests/bindings/suite_decisions.cpp as `warden test` decides it, is decided
// again here — policy compiled with warden.compile(), facts loaded with
// replaceFacts(), the request passed as an object — and the whole
// explanation is compared key for key.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const warden = require('warden');

function factsSources(sources) {
  return sources.map((s) => {
    if (s.file !== undefined) return s.file;
    if (s.lines) return s.text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    return JSON.parse(s.text);
  });
}

test('every suite case decides as in C++', () => {
  const file = process.env.WARDEN_SUITE_DECISIONS;
  assert.ok(file && fs.existsSync(file), 'WARDEN_SUITE_DECISIONS must name the reference file');
  const cases = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  assert.ok(cases.length > 50);
  const artifacts = new Map();
  const engines = new Map();
  const suites = new Set();
  for (const c of cases) {
    if (!artifacts.has(c.policy)) {
      const compiled = warden.compile(c.policy);
      assert.ok(compiled.ok, c.policy);
      artifacts.set(c.policy, compiled.artifact);
    }
    const key = c.suite + JSON.stringify(c.case_facts);
    if (!engines.has(key)) {
      const engine = new warden.Engine(artifacts.get(c.policy));
      engine.replaceFacts(...factsSources(c.facts.concat(c.case_facts)));
      engines.set(key, engine);
    }
    const d = engines.get(key).decide(c.request);
    assert.deepEqual(d.toJSON(), c.decision, `${c.suite}: ${c.case}`);
    // Key order and text too: the explanation JSON, byte for byte.
    assert.equal(String(d), JSON.stringify(c.decision), `${c.suite}: ${c.case}`);
    assert.equal(d.code, c.decision.code);
    assert.equal(d.outcome, c.decision.outcome);
    assert.equal(d.allowed, c.decision.allowed);
    suites.add(c.suite);
  }
  assert.ok(suites.size >= 6);
});
