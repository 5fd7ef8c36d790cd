// The peer benchmark's scenario: one seeded, deterministic world (orgs,
// teams, users, platform roles, API keys, models, grants) and one request
// stream over it. generate.mjs writes both in every engine's format; nothing
// here knows about any engine.
//
// The world, with the default sizes (see docs/performance.md):
//   - 20 orgs, 100 teams (team i belongs to org i mod 20), 1k users; a user
//     belongs to a home org, to one team of it and to up to two more teams;
//   - platform roles within orgs: every user holds one in the home org
//     (viewer 50 %, developer 30 %, manager 15 %, admin 5 %), one in ten also
//     `viewer` in another org; three users hold `platform_admin` globally;
//   - two API keys per user, each with one of five scope sets;
//   - 10k models, each in an org, owned by a user, in a stage;
//   - 50k grants on single models to users (60 %), teams (30 %) or orgs
//     (10 %), levels read/write/execute/admin (40/30/20/10 %); 70 % never
//     expire, 20 % expire after `now`, 10 % expired before it; 5 % revoked.
// Every request is decided at the same instant, `now`.

export const DEFAULTS = Object.freeze({
  seed: 42,
  orgs: 20,
  teams: 100,
  users: 1000,
  models: 10000,
  grants: 50000,
  requests: 10000,
  now: 1790000000, // 2026-09-21T12:53:20Z
});

export const LEVELS = ['read', 'write', 'execute', 'admin'];
export const ORG_ROLES = ['viewer', 'developer', 'manager', 'admin'];
export const STAGES = ['none', 'staging', 'production', 'archived'];
export const KEY_SCOPE_SETS = [
  [['model:read'], 35],
  [['model:write'], 25],
  [['model:execute'], 10],
  [['model:write', 'model:execute'], 15],
  [['model:admin'], 15],
];

const DAY = 86400;

// splitmix32: small, fast and the same on every platform.
export class Rng {
  constructor(seed) {
    this.state = seed >>> 0;
  }
  next() {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  int(n) {
    return this.next() % n;
  }
  chance(p) {
    return this.next() / 4294967296 < p;
  }
  pick(items) {
    return items[this.int(items.length)];
  }
  // entries: [[value, weight], ...]
  weighted(entries) {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.int(total);
    for (const [value, w] of entries) {
      if (x < w) return value;
      x -= w;
    }
    throw new Error('unreachable');
  }
}

export function generateWorld(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const rng = new Rng(o.seed);
  const orgs = Array.from({ length: o.orgs }, (_, i) => `o${i}`);
  const teams = Array.from({ length: o.teams }, (_, i) => ({ id: `t${i}`, org: orgs[i % o.orgs] }));
  const teamsOfOrg = new Map(orgs.map((org) => [org, teams.filter((t) => t.org === org)]));

  const users = [];
  const roles = [];
  for (let i = 0; i < o.users; ++i) {
    const id = `u${i}`;
    const homeOrg = rng.pick(orgs);
    const memberOf = new Set([rng.pick(teamsOfOrg.get(homeOrg)).id]);
    const extra = rng.int(3);
    for (let k = 0; k < extra; ++k) memberOf.add(rng.pick(teams).id);
    users.push({ id, homeOrg, teams: [...memberOf] });
    roles.push({ user: id, role: rng.weighted([['viewer', 50], ['developer', 30], ['manager', 15], ['admin', 5]]), org: homeOrg });
    if (rng.chance(0.1)) {
      const other = rng.pick(orgs);
      if (other !== homeOrg) roles.push({ user: id, role: 'viewer', org: other });
    }
  }
  const platformAdmins = new Set();
  while (platformAdmins.size < Math.min(3, o.users)) platformAdmins.add(rng.pick(users).id);
  for (const user of platformAdmins) roles.push({ user, role: 'platform_admin', org: null });

  const keys = [];
  for (const u of users) {
    for (const suffix of ['a', 'b']) keys.push({ id: `k${u.id.slice(1)}${suffix}`, user: u.id, scopes: rng.weighted(KEY_SCOPE_SETS) });
  }

  const models = [];
  for (let i = 0; i < o.models; ++i) {
    models.push({
      id: `m${i}`,
      org: rng.pick(orgs),
      owner: rng.pick(users).id,
      stage: rng.weighted([['none', 25], ['staging', 30], ['production', 35], ['archived', 10]]),
    });
  }

  const grants = [];
  for (let i = 0; i < o.grants; ++i) {
    const subjectType = rng.weighted([['user', 60], ['team', 30], ['org', 10]]);
    const subjectId = subjectType === 'user' ? rng.pick(users).id : subjectType === 'team' ? rng.pick(teams).id : rng.pick(orgs);
    const expiry = rng.weighted([['never', 70], ['future', 20], ['past', 10]]);
    const offset = (1 + rng.int(365)) * DAY;
    grants.push({
      id: `g${i}`,
      subjectType,
      subjectId,
      model: rng.pick(models).id,
      level: rng.weighted([['read', 40], ['write', 30], ['execute', 20], ['admin', 10]]),
      expiresAt: expiry === 'never' ? null : expiry === 'future' ? o.now + offset : o.now - offset,
      active: !rng.chance(0.05),
    });
  }
  return { seed: o.seed, now: o.now, orgs, teams, users, roles, keys, models, grants };
}

// A grant that counts at `now`: active and not expired.
export function grantValid(grant, now) {
  return grant.active && (grant.expiresAt === null || now < grant.expiresAt);
}

// The endpoints a request can hit; each request names a key, a method and a
// path. `null` action: a path no endpoint serves.
const ENDPOINT_MIX = [
  [['GET', '', 'read'], 40],
  [['PATCH', '', 'update'], 12],
  [['POST', '/versions', 'register_version'], 10],
  [['POST', '/invocations', 'execute'], 15],
  [['POST', '/deployments', 'deploy'], 9],
  [['DELETE', '', 'delete'], 6],
  [['PUT', '/permissions', 'manage_permissions'], 6],
  [['GET', '/metrics', null], 1],
  [['POST', '', null], 1],
];

// Requests: 45 % on a model the key's user has a grant path to (its own,
// its teams' or its orgs' grants, valid or not), 15 % on a model of an org
// where the user holds a role, the rest on any model.
export function generateRequests(world, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const rng = new Rng((o.seed ^ 0x5eed) >>> 0);
  const grantedModels = new Map(); // holder id -> model ids
  for (const g of world.grants) {
    if (!grantedModels.has(g.subjectId)) grantedModels.set(g.subjectId, []);
    grantedModels.get(g.subjectId).push(g.model);
  }
  const teamOrg = new Map(world.teams.map((t) => [t.id, t.org]));
  const userById = new Map(world.users.map((u) => [u.id, u]));
  const modelsOfOrg = new Map(world.orgs.map((org) => [org, []]));
  for (const m of world.models) modelsOfOrg.get(m.org).push(m.id);
  const roleOrgs = new Map();
  for (const r of world.roles) {
    if (r.org === null) continue;
    if (!roleOrgs.has(r.user)) roleOrgs.set(r.user, []);
    roleOrgs.get(r.user).push(r.org);
  }
  const reachable = new Map(); // user id -> model ids granted to it or its collections
  for (const u of world.users) {
    const holders = new Set([u.id, u.homeOrg, ...u.teams, ...u.teams.map((t) => teamOrg.get(t))]);
    const ms = [];
    for (const h of holders) ms.push(...(grantedModels.get(h) ?? []));
    reachable.set(u.id, ms);
  }

  const requests = [];
  for (let i = 0; i < o.requests; ++i) {
    const key = rng.pick(world.keys);
    const user = userById.get(key.user);
    const [method, suffix] = rng.weighted(ENDPOINT_MIX);
    const how = rng.weighted([['granted', 45], ['role', 15], ['any', 40]]);
    const granted = reachable.get(user.id);
    const ofRoleOrg = modelsOfOrg.get(rng.pick(roleOrgs.get(user.id)));
    let model;
    if (how === 'granted' && granted.length) model = rng.pick(granted);
    else if (how === 'role' && ofRoleOrg.length) model = rng.pick(ofRoleOrg);
    else model = rng.pick(world.models).id;
    requests.push({ key: key.id, method, path: `/api/models/${model}${suffix}` });
  }
  return requests;
}
