// Warden for Express (and any (req, res, next) framework).
//
//   const w = warden.express({ engine, principal: (req) => ({ id: req.user.id }) });
//   app.use(w);                                              // endpoint checks
//   app.post('/orgs/:org/servers', w.guard('create', 'api_server',
//            { attributes: (req) => ({ org: req.params.org }) }), handler);
//   app.get('/servers', (req, res) => res.json(req.warden.authorizedResources('list', 'api_server')));
//
// The middleware reads the caller once per request — API key (`X-API-Key` or
// `Authorization: Bearer`), principal, request id, headers (the policy's
// tenant sources read them) — into `req.warden`, and unless `endpoints` is
// false decides the request's method and path through the policy's
// endpoints. A guard decides an action on a resource for one route. A deny
// is answered with 401/403 and the JSON body {code, message, hint, required,
// request_id}; every decision goes to `audit`. docs/node.md.
'use strict';

/** The JSON body of a refused request: one shape for every code. */
function errorBody(decision) {
  const e = decision.toJSON();
  return { code: e.code, message: e.message, hint: e.hint, required: e.required, request_id: e.request_id };
}

function refuse(res, decision) {
  const status = decision.httpStatus;
  if (status === 401) res.set('WWW-Authenticate', 'Bearer');
  res.status(status).json(errorBody(decision));
}

function caller(options, req) {
  const fields = { headers: options.forward ? pick(req.headers, options.forward) : req.headers };
  let key = req.headers[options.apiKeyHeader];
  if (key === undefined && options.bearer) {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.slice(0, 7).toLowerCase() === 'bearer ') key = auth.slice(7).trim();
  }
  if (key !== undefined) fields.api_key = key;
  const id = req.headers[options.requestIdHeader];
  if (id !== undefined) fields.request_id = id;
  if (options.tenantHeader && req.headers[options.tenantHeader] !== undefined) {
    fields.tenant = req.headers[options.tenantHeader];
  }
  if (options.principal) {
    const p = options.principal(req);
    if (p !== undefined && p !== null) fields.principal = p;
  }
  return fields;
}

function pick(headers, names) {
  const out = {};
  for (const n of names) if (headers[n] !== undefined) out[n] = headers[n];
  return out;
}

/** What the middleware leaves on `req.warden`. */
class RequestContext {
  constructor(options, req) {
    this.engine = options.engine;
    this.fields = caller(options, req);
    this.decision = null;
    this._audit = options.audit;
  }
  /** Decide an action on a resource for this request's caller (and audit it). */
  decide(action, resourceType, { id, attributes } = {}) {
    const resource = { type: resourceType };
    if (id !== undefined && id !== null) resource.id = String(id);
    if (attributes) resource.attributes = attributes;
    return this.record(this.engine.decide({ ...this.fields, action, resource }));
  }
  /** Decide this request's method and path through the policy's endpoints. */
  decideEndpoint(req) {
    return this.record(this.engine.decide({ ...this.fields, method: req.method, path: req.originalUrl }));
  }
  /** The ids of the resources of `resourceType` the caller may `action` (list endpoints). */
  authorizedResources(action, resourceType) {
    return this.engine.authorizedResources(action, resourceType, this.fields);
  }
  record(decision) {
    this.decision = decision;
    if (this._audit) this._audit(decision);
    return decision;
  }
}

/**
 * The middleware. Options:
 *   engine          the warden.Engine (required)
 *   apiKeyHeader    default 'x-api-key'; `bearer` (default true) also reads Authorization: Bearer
 *   requestIdHeader default 'x-request-id'
 *   tenantHeader    a header naming the explicit tenant (default: the policy's tenant sources decide)
 *   principal       req => {type, id, attributes} | undefined, for session callers
 *   audit           decision => void, called for every decision; a throw fails the request
 *   endpoints       default true: decide every request through the policy's endpoints
 *   skip            req => boolean: requests the endpoint check leaves to their routes
 *   forward         header names to pass to the engine (default: all headers)
 * The returned middleware has .guard(...) (see guard()).
 */
function express(options) {
  if (!options || !options.engine) throw new TypeError('warden.express({ engine, ... }) needs an engine');
  const o = {
    apiKeyHeader: 'x-api-key', bearer: true, requestIdHeader: 'x-request-id', endpoints: true, ...options,
  };
  o.apiKeyHeader = o.apiKeyHeader.toLowerCase();
  o.requestIdHeader = o.requestIdHeader.toLowerCase();
  if (o.tenantHeader) o.tenantHeader = o.tenantHeader.toLowerCase();
  if (o.forward) o.forward = o.forward.map((h) => h.toLowerCase());
  const middleware = function wardenMiddleware(req, res, next) {
    let decision;
    try {
      req.warden = new RequestContext(o, req);
      if (!o.endpoints || (o.skip && o.skip(req))) return next();
      decision = req.warden.decideEndpoint(req);
    } catch (err) {
      return next(err); // a malformed request or a failing audit sink: never an allow
    }
    if (decision.allowed) return next();
    return refuse(res, decision);
  };
  middleware.guard = guard;
  return middleware;
}

/**
 * A route's guard. guard(action, resourceType, { id, attributes }) decides an
 * action on a resource: `id` is a route parameter name or req => id,
 * `attributes` req => {name: value} (e.g. the organization of a server being
 * created). guard() with no arguments decides the route's method and path
 * through the policy's endpoints. Needs warden.express(...) earlier in the
 * chain (for the caller); without it the request fails (500), never passes.
 */
function guard(action, resourceType, { id, attributes } = {}) {
  return function wardenGuard(req, res, next) {
    let decision;
    try {
      if (!req.warden) throw new Error('warden.guard() needs warden.express({...}) earlier in the chain');
      if (action === undefined) {
        decision = req.warden.decideEndpoint(req);
      } else {
        const resourceId = typeof id === 'function' ? id(req) : id !== undefined ? req.params[id] : undefined;
        decision = req.warden.decide(action, resourceType, {
          id: resourceId, attributes: attributes ? attributes(req) : undefined,
        });
      }
    } catch (err) {
      return next(err);
    }
    if (decision.allowed) return next();
    return refuse(res, decision);
  };
}

module.exports = { express, guard, errorBody, RequestContext };
