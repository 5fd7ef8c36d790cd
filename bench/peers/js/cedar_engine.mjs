// Cedar (the official WebAssembly build, @cedar-policy/cedar-wasm) deciding
// the scenario: ../cedar/policies.cedar plus one generated policy per grant,
// the schema ../cedar/schema.cedarschema, the entities of cedar-entities.json.
//
// Used the fastest way this build offers at this scale:
//   - the schema and the policy sets are parsed once (preparseSchema,
//     preparsePolicySet) and named in each call (statefulIsAuthorized);
//   - the policies are sliced by resource: one policy set per model holding
//     the rules and that model's grants (Cedar evaluates every policy of the
//     set it is given, and 50k grant policies in one set cost milliseconds
//     per call);
//   - each call gets only the entities the request can reach: the principal,
//     the key and the model with their ancestors, and the model's org — the
//     slice an application builds from its entity store (ancestor lists are
//     computed once per entity and cached, as such a store would).
// The routing (method + path -> action, model) is the application's, as
// Cedar has no endpoints; it is timed with the decision.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import v8 from 'node:v8';

import { route } from './routes.mjs';

// Node 20's V8 aborts ("unreachable code" in the deoptimizer) when code that
// inlined a call into WebAssembly is deoptimized on the way back, which
// happens here after some thousands of decisions. Not inlining those calls
// avoids it; it concerns JavaScript-to-WebAssembly calls only, so no other
// engine is affected.
v8.setFlagsFromString('--no-turbo-inline-js-wasm-calls');

const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const here = path.dirname(new URL(import.meta.url).pathname);

const SCHEMA = 'peer-scenario';
const key = (type, id) => `${type}::${id}`;

function check(answer, what) {
  if (answer.type !== 'success') {
    throw new Error(`cedar: ${what} failed: ${answer.errors.map((e) => e.message).join('; ')}`);
  }
  return answer;
}

export class CedarEngine {
  static version() {
    return cedar.getCedarSDKVersion();
  }

  constructor(dataDir, db) {
    this.now = db.now;
    const schema = fs.readFileSync(path.join(here, '../cedar/schema.cedarschema'), 'utf8');
    const rules = fs.readFileSync(path.join(here, '../cedar/policies.cedar'), 'utf8');
    const grants = JSON.parse(fs.readFileSync(path.join(dataDir, 'cedar-grants.json'), 'utf8'));

    // Every policy must validate against the schema before anything is
    // timed (in chunks: one call on all of them is much slower).
    for (let i = 0; i === 0 || i < grants.length; i += 2000) {
      const chunk = [rules, ...grants.slice(i, i + 2000).map((g) => g.policy)].join('\n');
      const validation = check(cedar.validate({ schema, policies: { staticPolicies: chunk } }), 'validation');
      if (validation.validationErrors.length) {
        throw new Error(`cedar: policies do not validate: ${validation.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')}`);
      }
    }
    check(cedar.preparseSchema(SCHEMA, schema), 'preparseSchema');

    const byModel = new Map();
    for (const g of grants) {
      if (!byModel.has(g.resource)) byModel.set(g.resource, []);
      byModel.get(g.resource).push(g.policy);
    }
    this.policySetOf = new Map();
    check(cedar.preparsePolicySet('rules', { staticPolicies: rules }), 'preparsePolicySet');
    // Kept policy sets grow the WebAssembly memory by small steps, and V8
    // collects garbage at each step: set up that way, 10k sets take minutes.
    // Parsing one large blank text first grows the memory in one step (to
    // about three times the text's size); the sets then reuse it.
    const reserve = ' '.repeat(Math.min(4e8, 5000 * grants.length));
    check(cedar.preparsePolicySet('reserve', { staticPolicies: reserve }), 'preparsePolicySet');
    check(cedar.preparsePolicySet('reserve', { staticPolicies: '' }), 'preparsePolicySet');
    for (const [model, policies] of byModel) {
      check(cedar.preparsePolicySet(`m:${model}`, { staticPolicies: [rules, ...policies].join('\n') }), 'preparsePolicySet');
      this.policySetOf.set(model, `m:${model}`);
    }

    this.entities = new Map();
    for (const e of JSON.parse(fs.readFileSync(path.join(dataDir, 'cedar-entities.json'), 'utf8'))) {
      this.entities.set(key(e.uid.type, e.uid.id), e);
    }
    this.ancestry = new Map(); // entity key -> [entity, ...its ancestors]
  }

  // The entity and all its ancestors, computed once per entity.
  withAncestors(k) {
    let list = this.ancestry.get(k);
    if (list !== undefined) return list;
    const seen = new Set([k]);
    const todo = [k];
    list = [];
    while (todo.length) {
      const e = this.entities.get(todo.pop());
      if (e === undefined) continue;
      list.push(e);
      for (const p of e.parents) {
        const pk = key(p.type, p.id);
        if (!seen.has(pk)) seen.add(pk), todo.push(pk);
      }
    }
    this.ancestry.set(k, list);
    return list;
  }

  decide(request) {
    const match = route(request.method, request.path);
    if (match === null) return false;
    const apiKey = this.entities.get(key('ApiKey', request.key));
    const model = this.entities.get(key('Model', match.id));
    if (apiKey === undefined || model === undefined) return false;
    const principal = apiKey.attrs.owner.__entity;
    const org = model.attrs.org.__entity;
    const entities = [];
    const seen = new Set();
    for (const k of [key(principal.type, principal.id), key('ApiKey', request.key), key('Model', match.id), key(org.type, org.id)]) {
      const list = this.withAncestors(k);
      for (let i = 0; i < list.length; ++i) {
        const e = list[i];
        if (!seen.has(e)) {
          seen.add(e);
          entities.push(e);
        }
      }
    }
    const answer = cedar.statefulIsAuthorized({
      principal,
      action: { type: 'Action', id: match.route.action },
      resource: { type: 'Model', id: match.id },
      context: { key: { __entity: { type: 'ApiKey', id: request.key } }, now: this.now },
      preparsedSchemaName: SCHEMA,
      preparsedPolicySetId: this.policySetOf.get(match.id) ?? 'rules',
      entities,
    });
    check(answer, 'isAuthorized');
    // An erroring policy is skipped by Cedar; none should error here.
    if (answer.response.diagnostics.errors.length) {
      throw new Error(`cedar: evaluation errors: ${JSON.stringify(answer.response.diagnostics.errors)}`);
    }
    return answer.response.decision === 'allow';
  }
}
