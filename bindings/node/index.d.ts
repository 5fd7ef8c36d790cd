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
/** Facts or a fact update were refused (F01xx input, F03xx changes). */
export declare class FactsError extends WardenError {}
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
    'rows_refused' | 'overflows' | 'failures', number>;
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
   */
  constructor(artifact?: Uint8Array | null, options?: { verifyKeys?: string | string[] });
  static fromFile(path: string, options?: { verifyKeys?: string | string[] }): Engine;
  /** Load only artifacts signed by one of these keys from now on; [] accepts unsigned artifacts again. */
  setVerifyKeys(keys: string | string[]): void;
  /**
   * Load the facts from a PostgreSQL database through a mapping file (one consistent snapshot),
   * then follow its changes on a thread of its own (docs/postgres.md). Throws FactsError
   * (P01xx–P03xx) and changes nothing when the mapping or the database cannot be used.
   */
  followPostgres(url: string, mapping: string, options?: { maxStalenessMs?: number }): PostgresFacts;
  loadPolicy(artifact: Uint8Array): void;
  loadPolicyFile(path: string): void;
  replaceFacts(...sources: Facts[]): void;
  apply(changes: string | Array<Record<string, unknown>>): void;
  decide(request: Request, options?: { trace?: boolean }): Decision;
  decideJson(text: string, options?: { trace?: boolean }): Decision;
  authorizedResources(action: string, resourceType: string, request?: Request): string[];
  watch(options: { artifact?: string; facts?: string | string[]; debounceMs?: number }): Watcher;
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
