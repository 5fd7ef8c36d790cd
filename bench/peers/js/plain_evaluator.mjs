// The plain, hand-written evaluator in JavaScript: the scenario's rules
// (../warden/*.warden) coded directly, over indexes built once from the
// application's records (scenario.tsv) — what a team writes when it does not
// use a policy engine. No explanation, no generality: the baseline that
// tells how much a policy engine costs over writing the checks by hand.
import { ROUTES, route } from './routes.mjs';

const SCOPE_BITS = { 'model:read': 1, 'model:write': 2, 'model:execute': 4, 'model:admin': 8 };
// A scope together with everything it implies.
const SCOPE_CLOSURE = { 'model:read': 1, 'model:write': 1 | 2, 'model:execute': 1 | 4, 'model:admin': 1 | 2 | 4 | 8 };
const LEVEL_RANK = { read: 0, write: 1, execute: 2, admin: 3 };
const ROLE_RANK = { viewer: 0, developer: 1, manager: 2, admin: 3 };
// The lowest grant level, and the lowest org role, that permit each action.
const ACTION_RANK = { read: 0, update: 1, register_version: 1, execute: 2, deploy: 2, delete: 3, manage_permissions: 3 };
const FROZEN_WHEN_ARCHIVED = new Set(['update', 'register_version', 'execute', 'deploy']);

export class PlainEvaluator {
  constructor(db) {
    this.now = db.now;
    this.required = new Map(ROUTES.map((r) => [r, r.scopes.reduce((bits, s) => bits | SCOPE_BITS[s], 0)]));
    const teamOrg = new Map(db.teams.map((t) => [t.id, t.org]));
    this.users = new Map();
    for (const u of db.users) {
      const holders = new Set([`user:${u.id}`, `org:${u.homeOrg}`]);
      for (const t of u.teams) {
        holders.add(`team:${t}`);
        holders.add(`org:${teamOrg.get(t)}`);
      }
      this.users.set(u.id, { id: u.id, holders, orgRoles: new Map(), platformAdmin: false });
    }
    for (const r of db.roles) {
      const user = this.users.get(r.user);
      if (r.org === null) {
        if (r.role === 'platform_admin') user.platformAdmin = true;
      } else {
        const rank = ROLE_RANK[r.role];
        if (rank > (user.orgRoles.get(r.org) ?? -1)) user.orgRoles.set(r.org, rank);
      }
    }
    this.keys = new Map(
      db.keys.map((k) => [k.id, { user: this.users.get(k.user), scopes: k.scopes.reduce((bits, s) => bits | SCOPE_CLOSURE[s], 0) }]),
    );
    this.models = new Map(db.models.map((m) => [m.id, { ...m, grants: [] }]));
    for (const g of db.grants) {
      this.models.get(g.model).grants.push({ holder: `${g.subjectType}:${g.subjectId}`, rank: LEVEL_RANK[g.level], expiresAt: g.expiresAt, active: g.active });
    }
  }

  decide(request) {
    const match = route(request.method, request.path);
    if (match === null) return false;
    const key = this.keys.get(request.key);
    if (key === undefined) return false;
    const required = this.required.get(match.route);
    if ((key.scopes & required) !== required) return false;
    const model = this.models.get(match.id);
    if (model === undefined) return false;
    const action = match.route.action;
    if (model.stage === 'archived' && FROZEN_WHEN_ARCHIVED.has(action)) return false;
    if (action === 'deploy' && model.stage !== 'staging' && model.stage !== 'production') return false;
    const user = key.user;
    if (user.platformAdmin || model.owner === user.id) return true;
    const need = ACTION_RANK[action];
    const role = user.orgRoles.get(model.org);
    if (role !== undefined && role >= need) return true;
    for (const g of model.grants) {
      if (g.rank >= need && g.active && (g.expiresAt === null || this.now < g.expiresAt) && user.holders.has(g.holder)) return true;
    }
    return false;
  }
}
