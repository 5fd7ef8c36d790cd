// The registry's HTTP surface for the engines that have no notion of an
// endpoint (Cedar, Casbin's resource check, the plain JavaScript evaluator):
// method + path -> the action, the model id and the scopes the key must hold.
// Warden reads the same table from ../warden/endpoints.warden; the benchmark's
// cross-check is what keeps the two in step.

export const ROUTES = [
  { method: 'GET', suffix: '', action: 'read', scopes: ['model:read'] },
  { method: 'PATCH', suffix: '', action: 'update', scopes: ['model:write'] },
  { method: 'POST', suffix: 'versions', action: 'register_version', scopes: ['model:write'] },
  { method: 'POST', suffix: 'invocations', action: 'execute', scopes: ['model:execute'] },
  { method: 'POST', suffix: 'deployments', action: 'deploy', scopes: ['model:execute', 'model:write'] },
  { method: 'DELETE', suffix: '', action: 'delete', scopes: ['model:admin'] },
  { method: 'PUT', suffix: 'permissions', action: 'manage_permissions', scopes: ['model:admin'] },
];

const PREFIX = '/api/models/';
const byMethodAndSuffix = new Map(ROUTES.map((r) => [`${r.method} ${r.suffix}`, r]));

// /api/models/{id} or /api/models/{id}/{suffix}; null when no route matches.
export function route(method, path) {
  if (!path.startsWith(PREFIX)) return null;
  const rest = path.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  const id = slash < 0 ? rest : rest.slice(0, slash);
  const suffix = slash < 0 ? '' : rest.slice(slash + 1);
  if (id === '' || suffix.includes('/')) return null;
  const r = byMethodAndSuffix.get(`${method} ${suffix}`);
  return r ? { route: r, id } : null;
}
