// Type declarations for `warden/express` (express.js).
import type { Decision, Engine, EntityRef, Request as WardenRequest } from './index';

interface IncomingLike {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string>;
  warden?: RequestContext;
}
interface ResponseLike {
  status(code: number): ResponseLike;
  set(name: string, value: string): ResponseLike;
  json(body: unknown): unknown;
}
type Next = (err?: unknown) => void;
export type Handler = (req: any, res: any, next: Next) => void;

export interface ErrorBody {
  code: string;
  message: string;
  hint: string;
  required: string;
  request_id: string;
}

export interface ExpressOptions {
  engine: Engine;
  apiKeyHeader?: string;
  bearer?: boolean;
  requestIdHeader?: string;
  tenantHeader?: string;
  principal?: (req: any) => EntityRef | undefined | null;
  audit?: (decision: Decision) => void;
  endpoints?: boolean;
  skip?: (req: any) => boolean;
  forward?: string[];
}

export interface GuardOptions {
  /** A route parameter name, or req => id. */
  id?: string | ((req: any) => string | undefined);
  attributes?: (req: any) => Record<string, string | number | boolean>;
}

export declare class RequestContext {
  readonly engine: Engine;
  readonly fields: WardenRequest;
  decision: Decision | null;
  decide(action: string, resourceType: string, options?: { id?: string; attributes?: Record<string, unknown> }): Decision;
  decideEndpoint(req: IncomingLike): Decision;
  authorizedResources(action: string, resourceType: string): string[];
}

export declare function express(options: ExpressOptions): Handler & { guard: typeof guard };
export declare function guard(action?: string, resourceType?: string, options?: GuardOptions): Handler;
export declare function errorBody(decision: Decision): ErrorBody;

declare global {
  namespace Express {
    interface Request {
      warden?: RequestContext;
    }
  }
}
