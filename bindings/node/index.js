// Warden in process for Node: decisions with their explanation in
// microseconds, synchronously.
//
//   const warden = require('warden');
//   const policy = warden.compile('policies/gateway');        // the compiler driver
//   const engine = new warden.Engine(policy.artifact);
//   engine.replaceFacts('fixtures/facts/gateway.jsonl');
//   const d = engine.decide({api_key: 'k-read', method: 'POST',
//                            path: '/api/2.0/mlflow/registered-models/create'});
//   d.code, d.required   // 'SCOPE_MISSING', 'scopes `model:write` ...'
//
// The addon (warden.node, src/) exports plain functions over handles; this
// file is the public face: classes, request flattening, lazy decisions.
// Express integration: require('warden/express') (express.js). docs/node.md.
'use strict';

const native = require('./warden.node');

/** Base class: a stable `code`, a message and the place (file, line, column). */
class WardenError extends Error {
  constructor(code, message, file = '', line = 0, column = 0) {
    let where = file;
    if (line) where = (where ? `${where}:` : '') + line + (column ? `:${column}` : '');
    super(`${where ? `${where}: ` : ''}error[${code}]: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.detail = message;
    this.file = file;
    this.line = line;
    this.column = column;
  }
}
/** A policy artifact was refused (truncated, corrupt, foreign: E05xx). */
class PolicyError extends WardenError {}
/**
 * Facts or a fact update were refused: F01xx input, F03xx changes the engine
 * refuses, F04xx names the policy does not declare (factsCheck 'refuse').
 * `record` (and `section` for a fact document) place it in an array or an
 * object given in memory; `findings` lists every F04xx reason (empty
 * otherwise). Nothing was loaded: the facts in service stay.
 */
class FactsError extends WardenError {
  constructor(code, message, file = '', line = 0, column = 0, { record = null, section = null, findings } = {}) {
    super(code, message, file, line, column);
    this.record = record;
    this.section = section;
    this.findings = findings === undefined ? withTotal([], 0) : findings;
  }
}
/** A request is malformed (F02xx). */
class RequestError extends WardenError {}
/** Watching files for hot reload could not start. */
class WatchError extends WardenError {}
native.setErrorClasses(PolicyError, FactsError, RequestError, WatchError);

// --- decisions ---------------------------------------------------------------

// A decision arrives as one string (src/decision_encoding.hpp): the compact
// form — the outcome letter, then the explanation's fields separated by NULs
// — or, for other text and traces, the explanation JSON itself.
const LBRACE = 123; // '{': the JSON form
const OUTCOME_AT = 12; // the JSON form starts `{"outcome":"allow"|"deny"|"would-deny"`
const D = 100; // 'd'
const A = 97; // 'a'
const NUL = '\0';

// The explanation object of a compact decision, with the JSON form's keys in
// its order (runtime explanation JSON, warden/explain.hpp).
function fromCompact(t) {
  const f = t.split(NUL);
  const c = t.charCodeAt(0);
  const rules = [];
  for (let k = 0, i = 22, n = Number(f[21]); k < n; k++, i += 5) {
    rules.push({ name: f[i], effect: f[i + 1][0] === 'd' ? 'deny' : 'allow', monitor: f[i + 1][1] === 'm',
      file: f[i + 2], line: Number(f[i + 3]), column: Number(f[i + 4]) });
  }
  return {
    outcome: c === A ? 'allow' : c === D ? 'deny' : 'would-deny', allowed: c !== D, code: f[0].slice(1),
    message: f[1], hint: f[2], required: f[3], present: f[4], rules, source: f[5], source_detail: f[6],
    grant_id: f[7], endpoint: f[8], raw_path: f[9], path: f[10], action: f[11], resource_type: f[12],
    resource_id: f[13], principal: f[14], caller: f[15], client_ip: f[16], tenant: f[17], request_id: f[18],
    policy_fingerprint: f[19], facts_version: Number(f[20]),
  };
}

/**
 * A decision and its explanation. `allowed`, `outcome` and `code` are read
 * straight from the string the addon returned; the other fields come from the
 * explanation, built once on first use. toJSON() is the runtime's explanation
 * JSON (warden/explain.hpp), key for key.
 */
class Decision {
  constructor(text, authenticated) {
    this._text = text;
    this._authenticated = authenticated;
    this._object = undefined;
  }
  get allowed() {
    const c = this._text.charCodeAt(0);
    return c === LBRACE ? this._text.charCodeAt(OUTCOME_AT) !== D : c !== D;
  }
  get outcome() {
    let c = this._text.charCodeAt(0);
    if (c === LBRACE) c = this._text.charCodeAt(OUTCOME_AT);
    return c === A ? 'allow' : c === D ? 'deny' : 'would-deny';
  }
  get code() {
    const t = this._text;
    if (t.charCodeAt(0) !== LBRACE) return t.slice(1, t.indexOf(NUL, 1));
    const start = t.indexOf('"code":"') + 8; // codes are [A-Z0-9_]: never escaped
    return t.slice(start, t.indexOf('"', start));
  }
  get message() { return this.toJSON().message; }
  get hint() { return this.toJSON().hint; }
  get required() { return this.toJSON().required; }
  get present() { return this.toJSON().present; }
  get rules() { return this.toJSON().rules; }
  get source() { return this.toJSON().source; }
  get sourceDetail() { return this.toJSON().source_detail; }
  get grantId() { return this.toJSON().grant_id; }
  get endpoint() { return this.toJSON().endpoint; }
  get rawPath() { return this.toJSON().raw_path; }
  get path() { return this.toJSON().path; }
  get caller() { return this.toJSON().caller; }
  get clientIp() { return this.toJSON().client_ip; }
  get action() { return this.toJSON().action; }
  get resourceType() { return this.toJSON().resource_type; }
  get resourceId() { return this.toJSON().resource_id; }
  get principal() { return this.toJSON().principal; }
  get tenant() { return this.toJSON().tenant; }
  get requestId() { return this.toJSON().request_id; }
  get policyFingerprint() { return this.toJSON().policy_fingerprint; }
  get factsVersion() { return this.toJSON().facts_version; }
  get trace() { const t = this.toJSON().trace; return t === undefined ? null : t; }
  /** 200 allowed; 401 no or bad credential; 503 no policy; 403 otherwise. */
  get httpStatus() { return native.httpStatus(this.allowed, this.code, this._authenticated); }
  /** The explanation as an object (the runtime's explanation JSON, parsed). */
  toJSON() {
    if (this._object === undefined) {
      this._object = this._text.charCodeAt(0) === LBRACE ? JSON.parse(this._text) : fromCompact(this._text);
    }
    return this._object;
  }
  /** The explanation JSON text: one line, stable key order. */
  toString() { return this._text.charCodeAt(0) === LBRACE ? this._text : JSON.stringify(this.toJSON()); }
}

// --- requests ----------------------------------------------------------------

// headers / query: an object → "name\0value\0…" (one string crosses into C++
// instead of one value per entry); an array of [name, value] pairs or a flat
// [name, value, …] list (Node's rawHeaders) → a flat array. An object with a
// value that is not a string, or text holding a NUL, goes as a flat array
// too: the addon then checks each value.
function pairs(v) {
  if (Array.isArray(v)) return v.length && Array.isArray(v[0]) ? v.flat() : v;
  if (typeof v !== 'object' || v === null) return v; // the addon reports the type
  let s = '';
  for (const k in v) {
    const value = v[k];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && !value.includes(NUL) && !k.includes(NUL)) {
      s += k + NUL + value + NUL;
    } else {
      return flatPairs(v);
    }
  }
  return s;
}

function flatPairs(v) {
  const out = [];
  for (const k in v) {
    const value = v[k];
    if (Array.isArray(value)) for (const item of value) out.push(k, item);
    else if (value !== undefined && value !== null) out.push(k, value);
  }
  return out;
}

function attributes(v, of) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new RequestError('F0203', `field \`attributes\` of ${of} must be an object, not ${kind(v)}`);
  }
  const out = [];
  for (const k in v) out.push(k, v[k]);
  return out;
}

function kind(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' ? 'an object' : t === 'number' ? (Number.isInteger(v) ? 'an integer' : 'a number') : `a ${t}`;
}

function objectOf(v, field) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new RequestError('F0203', `field \`${field}\` of request must be an object, not ${kind(v)}`);
  }
  return v;
}

// The request's fields in the addon's slot order (src/node_request.hpp).
function flatten(req) {
  const s = new Array(21);
  if (typeof req !== 'object' || req === null) {
    throw new RequestError('F0203', `a request must be an object, not ${kind(req)}`);
  }
  let given = 0;
  for (const k in req) {
    const v = req[k];
    if (v === undefined || v === null) continue;
    switch (k) {
      case 'request_id': case 'requestId': s[0] = v; break;
      case 'tenant': s[1] = v; break;
      case 'api_key': case 'apiKey': s[4] = v; break;
      case 'action': s[5] = v; break;
      case 'method': s[8] = v; break;
      case 'path': s[9] = v; break;
      case 'headers': s[10] = pairs(v); break;
      case 'peer': s[19] = v; break;
      case 'body': {
        const o = objectOf(v, k);
        const flat = [];
        for (const f in o) flat.push(f, o[f]);
        s[20] = flat;
        break;
      }
      case 'query': s[11] = pairs(v); break;
      case 'principal': case 'resource': {
        const principal = k === 'principal';
        const o = objectOf(v, k);
        given |= principal ? 1 : 2;
        for (const f in o) {
          const value = o[f];
          if (value === undefined || value === null) continue;
          if (f === 'type') s[principal ? 2 : 6] = value;
          else if (f === 'id') s[principal ? 3 : 7] = value;
          else if (f === 'attributes') s[principal ? 12 : 13] = attributes(value, k);
          else if (s[18] === undefined) s[18] = f + NUL + k;
        }
        break;
      }
      case 'context': {
        const o = objectOf(v, k);
        const rest = [];
        for (const f in o) {
          const value = o[f];
          if (f === 'time') {
            if (value !== undefined && value !== null) s[15] = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
          } else if (f === 'client_ip') {
            if (value !== undefined && value !== null) s[16] = value;
          } else {
            rest.push(f, value);
          }
        }
        if (rest.length) s[14] = rest;
        break;
      }
      default:
        if (s[18] === undefined) s[18] = k;
    }
  }
  // Which slots hold a value (bits 0-16, 18-20) and which entities were
  // given (bits 22, 23): the addon reads only those.
  let mask = given << 22;
  for (let i = 0; i < 17; i++) if (s[i] !== undefined) mask |= 1 << i;
  for (let i = 18; i < 21; i++) if (s[i] !== undefined) mask |= 1 << i;
  s[17] = mask;
  return s;
}

function authenticated(s) { return s[4] !== undefined || s[3] !== undefined; }

// --- facts checked against the policy ----------------------------------------

// An array of findings with `total` (all of them; at most 100 are listed).
function withTotal(findings, total) {
  Object.defineProperty(findings, 'total', { value: total, enumerable: false });
  return findings;
}

function findingsOf(json) {
  const o = JSON.parse(json);
  return withTotal(o.findings, o.total);
}

// What a facts call came to (the addon's outcome JSON): its findings, or
// FactsError for a refusal.
function outcome(json) {
  const o = JSON.parse(json);
  const findings = withTotal(o.findings, o.total);
  const e = o.error;
  if (e) throw new FactsError(e.code, e.message, e.file, e.line, e.column, { record: e.record, section: e.section, findings });
  return findings;
}

function checkOption(options) {
  if (options === undefined || options === null || options.factsCheck === undefined) return undefined;
  const c = options.factsCheck;
  if (c !== 'warn' && c !== 'refuse') throw new TypeError(`factsCheck must be 'warn' or 'refuse', not ${kind(c)}`);
  return c;
}

// --- the engine --------------------------------------------------------------

// A fact document laid out one record per line (bindings/core/facts_input.hpp,
// document_places): a finding's line then names its section and record.
function documentText(doc) {
  const members = [];
  for (const k of Object.keys(doc)) {
    const v = doc[k];
    if (Array.isArray(v)) {
      const records = v.map((r) => { const t = JSON.stringify(r); return t === undefined ? 'null' : t; });
      members.push(`${JSON.stringify(k)}:[${records.length ? `\n${records.join(',\n')}` : ''}\n]`);
    } else {
      const t = JSON.stringify(v);
      if (t !== undefined) members.push(`${JSON.stringify(k)}:${t}`); // as JSON.stringify(doc) drops it
    }
  }
  return `{${members.length ? `\n${members.join(',\n')}` : ''}\n}`;
}

function factsSources(sources) {
  const flat = [];
  sources.forEach((source, i) => {
    const name = sources.length === 1 ? 'facts' : `facts[${i}]`;
    if (typeof source === 'string') flat.push('file', source, '');
    else if (Array.isArray(source)) flat.push('lines', source.map((r) => JSON.stringify(r)).join('\n'), name);
    else if (source && typeof source === 'object') flat.push('document', documentText(source), name);
    else throw new TypeError(`facts must be a file path, a fact document or an array of records, not ${kind(source)}`);
  });
  return flat;
}

// replaceFacts(...sources[, {factsCheck}]): a last argument whose only key is
// `factsCheck` is the options (a fact document never has that key).
function splitOptions(args) {
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && !Array.isArray(last)) {
    const keys = Object.keys(last);
    if (keys.length === 1 && keys[0] === 'factsCheck') return [args.slice(0, -1), last];
  }
  return [args, undefined];
}

/** Hot reload of an engine's artifact and fact files; see Engine#watch(). */
class Watcher {
  constructor(handle) { this._h = handle; }
  /** Stop watching (joins the watcher's thread). */
  stop() { native.watcherStop(this._h); }
  /** Per target: successes, failures, consecutive_failures, last_failure. */
  counters() { return JSON.parse(native.watcherCounters(this._h)); }
}

/** An engine's facts following a PostgreSQL database; see Engine#followPostgres(). */
class PostgresFacts {
  constructor(handle) { this._h = handle; }
  /** Stop following (the engine keeps the facts it has). */
  stop() { native.postgresStop(this._h); }
  /** state, loaded, staleness_seconds, position, facts_version, last_error, counters. */
  status() { return JSON.parse(native.postgresStatus(this._h)); }
  /** True past maxStalenessMs: refuse rather than decide on facts that old (serve's FACTS_STALE). */
  get stale() { return native.postgresStale(this._h); }
}

/**
 * The decision engine: one policy and one fact set, each replaced atomically.
 * decide() never waits for a load or an update, and a failed load or update
 * throws and changes nothing (the running policy and facts stay in service).
 *
 * Facts are checked against the policy they are loaded under (F04xx: a type,
 * role, scope, level, attribute or value it does not declare): factsCheck
 * 'warn' (the default) loads them and returns the findings, 'refuse' throws
 * FactsError and keeps the facts in service. A policy loaded later is
 * checked against the facts in service; what it does not declare is
 * returned, never refused. lastFactFindings holds what the last check found.
 */
class Engine {
  /**
   * @param {Uint8Array} [artifact] the bytes of a `.wdn` artifact (compile(path).artifact)
   * @param {{verifyKeys?: string | string[], factsCheck?: 'warn' | 'refuse'}} [options] verifyKeys:
   *   load only artifacts signed by one of these keys (files written by `warden keygen`, as paths
   *   or as their text); factsCheck: what facts naming what the policy does not declare do
   */
  constructor(artifact, options) {
    this._h = native.engineNew();
    if (options !== undefined && options.verifyKeys !== undefined) this.setVerifyKeys(options.verifyKeys);
    const check = checkOption(options);
    if (check !== undefined) native.setFactsCheck(this._h, check);
    if (artifact !== undefined && artifact !== null) native.loadPolicy(this._h, artifact);
  }
  /** An engine with the artifact file at `path` (written by `warden compile -o`); options as for the constructor. */
  static fromFile(path, options) {
    const e = new Engine(undefined, options);
    e.loadPolicyFile(path);
    return e;
  }
  /** Load only artifacts signed by one of these keys from now on (E0509 unsigned, E0510 another key,
   * E0511 a bad signature, E0512 a key that cannot be read); [] accepts unsigned artifacts again. */
  setVerifyKeys(keys) {
    native.setVerifyKeys(this._h, (Array.isArray(keys) ? keys : [keys]).map(String));
  }
  /** Replace the policy; returns the facts in service that it does not declare (they stay). */
  loadPolicy(artifact) { return findingsOf(native.loadPolicy(this._h, artifact)); }
  loadPolicyFile(path) { return findingsOf(native.loadPolicyFile(this._h, String(path))); }
  /** 'warn' or 'refuse': what facts naming what the policy does not declare do, for every load that does not say. */
  get factsCheck() { return native.factsCheck(this._h); }
  set factsCheck(check) { native.setFactsCheck(this._h, checkOption({ factsCheck: check })); }
  /** Replace every fact with those of the sources, read together: file paths
   * (JSON or JSONL), fact documents ({entities: [...], ...}), arrays of records;
   * a last argument {factsCheck} chooses for this call. Returns the findings. */
  replaceFacts(...args) {
    const [sources, options] = splitOptions(args);
    return outcome(native.replaceFacts(this._h, factsSources(sources), checkOption(options)));
  }
  /** Apply a batch of changes atomically: an array of {op, kind, ...} or a JSONL update file.
   * Upserts are checked against the policy; returns the findings. */
  apply(changes, options) {
    const check = checkOption(options);
    if (typeof changes === 'string') return outcome(native.applyFile(this._h, changes, check));
    return outcome(native.apply(this._h, changes.map((c) => JSON.stringify(c)).join('\n'), 'updates', check));
  }
  /** The facts in service checked against the policy in service, now. */
  checkFacts() { return findingsOf(native.checkFacts(this._h)); }
  /** What the last check of facts against the policy on this engine found (a load, a reload, the database). */
  get lastFactFindings() { return findingsOf(native.lastFactFindings(this._h)); }
  /** Decide a request (the JSON request's fields). Throws RequestError for a
   * malformed request; a decision itself never throws. */
  decide(request, options) {
    const s = flatten(request);
    const trace = options !== undefined && options.trace === true;
    return new Decision(native.decide(this._h, trace, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9],
      s[10], s[11], s[12], s[13], s[14], s[15], s[16], s[17], s[18], s[19], s[20]), authenticated(s));
  }
  /** Decide a request given as JSON text, read by the runtime's request reader. */
  decideJson(text, options) {
    const json = native.decideJson(this._h, text, options !== undefined && options.trace === true); // the JSON form
    const parsed = JSON.parse(text);
    return new Decision(json, Boolean(parsed.api_key || (parsed.principal && parsed.principal.id)));
  }
  /** The ids of the known resources of `resourceType` on which the request's
   * principal may perform `action`, sorted: exactly those decide() allows. */
  authorizedResources(action, resourceType, request = {}) {
    const s = flatten(request);
    return native.authorizedResources(this._h, action, resourceType, s[0], s[1], s[2], s[3], s[4], s[5], s[6],
      s[7], s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15], s[16], s[17], s[18], s[19], s[20]);
  }
  /**
   * Load the facts from a PostgreSQL database through a mapping file (one
   * consistent snapshot), then follow its changes on a thread of its own, as
   * `warden serve --facts postgresql://…` does (docs/postgres.md). Throws
   * FactsError (P01xx–P03xx) and changes nothing when the mapping is refused,
   * does not fit the database, or the database cannot be reached. Rows
   * naming what the policy does not declare load with warnings
   * (lastFactFindings), or with factsCheck 'refuse' refuse the load (F04xx).
   */
  followPostgres(url, mapping, { maxStalenessMs = 0, factsCheck } = {}) {
    const check = checkOption({ factsCheck });
    try {
      return new PostgresFacts(native.followPostgres(this._h, String(url), String(mapping), maxStalenessMs, check));
    } catch (e) {
      // Rows the policy cannot read (F04xx): the reasons are the last findings.
      if (e instanceof FactsError && e.code.startsWith('F04')) e.findings = this.lastFactFindings;
      throw e;
    }
  }
  /** Load the files now and reload them when they change, on a thread of its own. Fact files are
   * checked against the policy (factsCheck, or the engine's), each policy reload against the facts in
   * service; the findings of the last load are lastFactFindings. */
  watch({ artifact, facts = [], debounceMs = 10, factsCheck } = {}) {
    const files = typeof facts === 'string' ? [facts] : facts.map(String);
    if (artifact === undefined && files.length === 0) {
      throw new TypeError('watch() needs an artifact file, fact files or both');
    }
    return new Watcher(native.watch(this._h, artifact === undefined ? undefined : String(artifact), files, debounceMs,
      checkOption({ factsCheck })));
  }
  get hasPolicy() { return native.hasPolicy(this._h); }
  /** The loaded policy's fingerprint, 16 hex digits. */
  get policyFingerprint() { return native.policyFingerprint(this._h); }
  /** Grows with every published fact change. */
  get factsVersion() { return native.factsVersion(this._h); }
}

/** Compile a policy (directory, file or `.wdn` artifact) through the compiler
 * driver: {ok, failure, name, artifact, fingerprint, diagnostics}. */
function compile(policyPath, options = {}) {
  const c = native.compile(String(policyPath), options.werror === true);
  for (const d of c.diagnostics) {
    const json = d.json;
    delete d.json;
    Object.defineProperty(d, 'toJSON', { value: () => JSON.parse(json) });
    Object.defineProperty(d, 'toString', { value: () => d.text });
  }
  return c;
}

module.exports = {
  Engine, Decision, Watcher, PostgresFacts, compile, version: native.version,
  WardenError, PolicyError, FactsError, RequestError, WatchError,
};
Object.defineProperty(module.exports, 'express', {
  enumerable: true,
  get() { return require('./express').express; },
});
Object.defineProperty(module.exports, 'guard', {
  enumerable: true,
  get() { return require('./express').guard; },
});
