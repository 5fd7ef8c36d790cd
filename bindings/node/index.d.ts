// Type declarations for the `warden` Node package (index.js).

/// <reference types="node" />

export declare const version: string;

/** Base class of warden's errors: a stable code and the place in the input. */
export declare class WardenError extends Error {
  /** `E0503`, `F0104`, `F0202`, ... */
  readonly code: string;
  /** The message without the place and code. */
  readonly detail: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}
/** A policy artifact was refused (truncated, corrupt, foreign: E05xx). */
export declare class PolicyError extends WardenError {}
/**
 * Facts or a fact update were refused: F01xx input, F03xx changes the engine refuses, F04xx names
 * the policy does not declare (factsCheck 'refuse'). Nothing was loaded: the facts in service stay.
 */
export declare class FactsError extends WardenError {
  /** In an array given in memory (or a fact document's `section`): the record's index; else null. */
  readonly record: number | null;
  readonly section: string | null;
  /** Every F04xx reason for the refusal; empty for other errors. */
  readonly findings: FactFindings;
}

export type FactsCheck = 'warn' | 'refuse';

/**
 * A fact naming what the policy does not declare (F0401–F0407, docs/facts.md). In a file: `file`,
 * `line`, `column`. In memory: `file` is the source's name ('facts', 'facts[1]', 'updates') and
 * `record` the record's index in its array (or in its `section` of a fact document). The facts in
 * service and a database's rows have neither: the message names the record (and the row).
 */
export interface FactFinding {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  section: string | null;
  record: number | null;
  /** Loaded anyway (factsCheck 'warn'); false: a reason for a refusal. */
  warning: boolean;
}
/** At most 100 findings; `total` counts all of them. */
export type FactFindings = FactFinding[] & { readonly total: number };
/** A request is malformed (F02xx). */
export declare class RequestError extends WardenError {}
/** Watching files for hot reload could not start. */
export declare class WatchError extends WardenError {}

export type AttributeValue = string | number | bigint | boolean;
export type Pairs = Record<string, string | string[] | undefined> | Array<[string, string]> | string[];

export interface EntityRef {
  type?: string;
  id?: string;
  attributes?: Record<string, AttributeValue>;
}

/** A request: the fields of the JSON request (docs/cli.md). undefined and null mean "not given". */
export interface Request {
  request_id?: string | null;
  requestId?: string | null;
  tenant?: string | null;
  principal?: EntityRef | null;
  api_key?: string | null;
  apiKey?: string | null;
  /** An action on a resource ... */
  action?: string;
  resource?: EntityRef & { type: string };
  /** ... or an HTTP request, routed through the policy's endpoints. */
  method?: string;
  /** May carry a query string. */
  path?: string;
  headers?: Pairs;
  query?: Pairs;
  /** The top-level fields of a JSON object body (strings, integers and booleans are read). */
  body?: Record<string, unknown> | null;
  /** The connection's peer address; the policy's `http` block says whether forwarding headers count. */
  peer?: string | null;
  context?: { time?: string | number | Date; client_ip?: string } & Record<string, AttributeValue | Date | undefined>;
}

export interface RuleJSON {
  name: string;
  effect: 'allow' | 'deny';
  monitor: boolean;
  file: string;
  line: number;
  column: number;
}

/** The runtime's explanation JSON (warden/explain.hpp), key for key. */
export interface DecisionJSON {
  outcome: 'allow' | 'deny' | 'would-deny';
  allowed: boolean;
  code: string;
  message: string;
  hint: string;
  required: string;
  present: string;
  rules: RuleJSON[];
  source: string;
  source_detail: string;
  grant_id: string;
  endpoint: string;
  raw_path: string;
  path: string;
  action: string;
  resource_type: string;
  resource_id: string;
  principal: string;
  caller: 'anonymous' | 'session' | 'key';
  client_ip: string;
  tenant: string;
  request_id: string;
  policy_fingerprint: string;
  facts_version: number;
  trace?: Array<{ kind: string; text: string }>;
}

/** A decision and its explanation. */
export declare class Decision {
  readonly allowed: boolean;
  readonly outcome: 'allow' | 'deny' | 'would-deny';
  /** ALLOW, SCOPE_MISSING, PERMISSION_DENIED, ORG_SUSPENDED, ... */
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  readonly required: string;
  readonly present: string;
  readonly rules: RuleJSON[];
  readonly source: string;
  readonly sourceDetail: string;
  readonly grantId: string;
  readonly endpoint: string;
  /** HTTP requests: the path as received and as normalized for routing. */
  readonly rawPath: string;
  readonly path: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly principal: string;
  readonly caller: 'anonymous' | 'session' | 'key';
  /** The client address the decision used, when it used one. */
  readonly clientIp: string;
  readonly tenant: string;
  readonly requestId: string;
  readonly policyFingerprint: string;
  readonly factsVersion: number;
  /** The full trace with decide(request, { trace: true }), else null. */
  readonly trace: Array<{ kind: string; text: string }> | null;
  /** 200 allowed; 401 no or bad credential; 503 no policy; 403 otherwise. */
  readonly httpStatus: number;
  toJSON(): DecisionJSON;
  /** The explanation JSON text. */
  toString(): string;
}

export interface ReloadCounters {
  target: string;
  successes: number;
  failures: number;
  consecutive_failures: number;
  last_failure: { trigger: string; code: string; message: string; diagnostics: string[] } | null;
}

export declare class Watcher {
  stop(): void;
  counters(): ReloadCounters[];
}

/** A fact document ({entities, memberships, roles, grants, keys}) or records with their `kind`. */
export type Facts = string | Record<string, unknown[]> | Array<Record<string, unknown>>;

export interface PostgresStatus {
  state: 'starting' | 'live' | 'resyncing' | 'disconnected' | 'stopped';
  loaded: boolean;
  staleness_seconds: number | null;
  position: string;
  facts_version: number;
  last_error: string;
  counters: Record<'full_loads' | 'resyncs' | 'reconnects' | 'batches' | 'notifications' | 'changes' |
    'rows_refused' | 'overflows' | 'failures' | 'fact_findings', number>;
}

/** An engine's facts following a PostgreSQL database; see Engine#followPostgres(). */
export declare class PostgresFacts {
  stop(): void;
  status(): PostgresStatus;
  /** True past maxStalenessMs. */
  readonly stale: boolean;
}

export declare class Engine {
  /**
   * @param artifact the bytes of a `.wdn` artifact, e.g. compile(path).artifact
   * @param options.verifyKeys load only artifacts signed by one of these keys (files written by
   *   `warden keygen`, as paths or as their text): E0509 unsigned, E0510 another key, E0511 a bad signature
   * @param options.factsCheck facts naming what the policy does not declare: loaded with the
   *   findings returned ('warn', the default) or refused with FactsError ('refuse')
   */
  constructor(artifact?: Uint8Array | null, options?: { verifyKeys?: string | string[]; factsCheck?: FactsCheck });
  static fromFile(path: string, options?: { verifyKeys?: string | string[]; factsCheck?: FactsCheck }): Engine;
  /** The engine's choice for every load that does not make its own. */
  factsCheck: FactsCheck;
  /** Load only artifacts signed by one of these keys from now on; [] accepts unsigned artifacts again. */
  setVerifyKeys(keys: string | string[]): void;
  /**
   * Load the facts from a PostgreSQL database through a mapping file (one consistent snapshot),
   * then follow its changes on a thread of its own (docs/postgres.md). Throws FactsError
   * (P01xx–P03xx) and changes nothing when the mapping or the database cannot be used; rows naming
   * what the policy does not declare load with warnings, or refuse the load (F04xx) with 'refuse'.
   */
  followPostgres(url: string, mapping: string, options?: { maxStalenessMs?: number; factsCheck?: FactsCheck }): PostgresFacts;
  /** Replace the policy; returns the facts in service it does not declare (they stay, never allowing anything). */
  loadPolicy(artifact: Uint8Array): FactFindings;
  loadPolicyFile(path: string): FactFindings;
  /** Replace every fact; a last argument `{ factsCheck }` chooses for this call. Returns the findings. */
  replaceFacts(...sources: Array<Facts | { factsCheck: FactsCheck }>): FactFindings;
  /** Apply a batch of changes atomically; upserts are checked against the policy. Returns the findings. */
  apply(changes: string | Array<Record<string, unknown>>, options?: { factsCheck?: FactsCheck }): FactFindings;
  /** The facts in service checked against the policy in service, now. */
  checkFacts(): FactFindings;
  /** What the last check of facts against the policy on this engine found. */
  readonly lastFactFindings: FactFindings;
  decide(request: Request, options?: { trace?: boolean }): Decision;
  decideJson(text: string, options?: { trace?: boolean }): Decision;
  authorizedResources(action: string, resourceType: string, request?: Request): string[];
  watch(options: { artifact?: string; facts?: string | string[]; debounceMs?: number; factsCheck?: FactsCheck }): Watcher;
  readonly hasPolicy: boolean;
  readonly policyFingerprint: string;
  readonly factsVersion: number;
}

export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
  /** Rendered as `warden check` prints it. */
  text: string;
  /** As `warden check --format json` gives it. */
  toJSON(): Record<string, unknown>;
}

export interface Compilation {
  ok: boolean;
  failure: '' | 'input' | 'policy' | 'internal';
  name: string;
  /** The `.wdn` bytes, or null on failure. */
  artifact: Buffer | null;
  fingerprint: string;
  diagnostics: Diagnostic[];
}

export declare function compile(policyPath: string, options?: { werror?: boolean }): Compilation;

export { express, guard } from './express';
