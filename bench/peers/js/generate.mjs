// Writes the peer benchmark's world and request stream (scenario.mjs) in
// every engine's format, into one directory:
//
//   scenario.tsv            the application's own records, one per line: what
//                           the hand-written evaluators and the C++ harness
//                           read (format below)
//   requests.tsv            the request stream: key, method, path
//   warden-facts.jsonl      Warden facts (docs/facts.md)
//   warden-requests.jsonl   the requests for `warden eval --batch`
//   cedar-entities.json     Cedar entities (JSON entity format)
//   cedar-grants.json       one Cedar policy per grant, with the model it is on
//   casbin-policy.csv       Casbin g/g2 lines (the rules are ../casbin/rules.csv)
//   scenario.json           the parameters and counts
//
// Usage: node generate.mjs --out DIR [--seed N] [--models N] [--grants N]
//        [--users N] [--teams N] [--orgs N] [--requests N]
//
// Revocation and expiry are kept as data wherever the engine can evaluate
// them: Warden and the hand-written evaluators get every grant; Cedar gets
// every active grant, with `context.now < expiry` in its condition (revoking
// a grant in Cedar is deleting its policy); Casbin's role links have no
// conditions, so it gets the grants that are valid at `now` — what a Casbin
// deployment keeps after removing revoked and expired links.
//
// scenario.tsv, tab-separated, one record per line:
//   now    <unix seconds>
//   org    <id>
//   team   <id> <org>
//   user   <id> <home org> <team,team,...>
//   role   <user> <role> <org, or * for a global role>
//   key    <id> <user> <scope,scope,...>
//   model  <id> <org> <owner> <stage>
//   grant  <id> <user|team|org> <subject> <model> <level> <expires_at or -> <1 active, 0 revoked>
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULTS, ORG_ROLES, generateRequests, generateWorld, grantValid } from './scenario.mjs';

function writeLines(file, lines) {
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function scenarioTsv(world) {
  const lines = [`now\t${world.now}`];
  for (const o of world.orgs) lines.push(`org\t${o}`);
  for (const t of world.teams) lines.push(`team\t${t.id}\t${t.org}`);
  for (const u of world.users) lines.push(`user\t${u.id}\t${u.homeOrg}\t${u.teams.join(',')}`);
  for (const r of world.roles) lines.push(`role\t${r.user}\t${r.role}\t${r.org ?? '*'}`);
  for (const k of world.keys) lines.push(`key\t${k.id}\t${k.user}\t${k.scopes.join(',')}`);
  for (const m of world.models) lines.push(`model\t${m.id}\t${m.org}\t${m.owner}\t${m.stage}`);
  for (const g of world.grants) {
    lines.push(`grant\t${g.id}\t${g.subjectType}\t${g.subjectId}\t${g.model}\t${g.level}\t${g.expiresAt ?? '-'}\t${g.active ? 1 : 0}`);
  }
  return lines;
}

function wardenFacts(world) {
  const j = JSON.stringify;
  const lines = [];
  for (const o of world.orgs) lines.push(j({ kind: 'entity', type: 'org', id: o }));
  for (const t of world.teams) {
    lines.push(j({ kind: 'entity', type: 'team', id: t.id }));
    lines.push(j({ kind: 'membership', member_type: 'team', member_id: t.id, collection_type: 'org', collection_id: t.org }));
  }
  for (const u of world.users) {
    lines.push(j({ kind: 'entity', type: 'user', id: u.id }));
    lines.push(j({ kind: 'membership', member_id: u.id, collection_type: 'org', collection_id: u.homeOrg }));
    for (const t of u.teams) lines.push(j({ kind: 'membership', member_id: u.id, collection_type: 'team', collection_id: t }));
  }
  for (const r of world.roles) {
    const scope = r.org === null ? {} : { scope_type: 'org', scope_id: r.org };
    lines.push(j({ kind: 'role', principal_id: r.user, role: r.role, ...scope }));
  }
  for (const k of world.keys) lines.push(j({ kind: 'key', id: k.id, principal_id: k.user, scopes: k.scopes }));
  for (const m of world.models) {
    lines.push(j({ kind: 'entity', type: 'model', id: m.id, attributes: { org: m.org, owner: m.owner, stage: m.stage } }));
  }
  for (const g of world.grants) {
    const record = { kind: 'grant', id: g.id, subject_type: g.subjectType, subject_id: g.subjectId, resource_type: 'model', resource_id: g.model, level: g.level };
    if (g.expiresAt !== null) record.expires_at = g.expiresAt;
    if (!g.active) record.active = false;
    lines.push(j(record));
  }
  return lines;
}

const uid = (type, id) => ({ type, id });
const CEDAR_TYPE = { user: 'User', team: 'Team', org: 'Org' };

function cedarEntities(world) {
  const entities = [];
  for (const o of world.orgs) {
    const roleUid = (r) => ({ __entity: uid('OrgRole', `${o}/${r}`) });
    entities.push({ uid: uid('Org', o), attrs: { viewers: roleUid('viewer'), developers: roleUid('developer'), managers: roleUid('manager'), admins: roleUid('admin') }, parents: [] });
    // Each role is in the one below it: a manager is also a developer and a viewer.
    ORG_ROLES.forEach((r, i) => {
      entities.push({ uid: uid('OrgRole', `${o}/${r}`), attrs: {}, parents: i === 0 ? [] : [uid('OrgRole', `${o}/${ORG_ROLES[i - 1]}`)] });
    });
  }
  for (const t of world.teams) entities.push({ uid: uid('Team', t.id), attrs: {}, parents: [uid('Org', t.org)] });
  entities.push({ uid: uid('Role', 'platform_admin'), attrs: {}, parents: [] });
  const rolesOf = new Map();
  for (const r of world.roles) {
    if (!rolesOf.has(r.user)) rolesOf.set(r.user, []);
    rolesOf.get(r.user).push(r.org === null ? uid('Role', r.role) : uid('OrgRole', `${r.org}/${r.role}`));
  }
  for (const u of world.users) {
    const parents = [...u.teams.map((t) => uid('Team', t)), uid('Org', u.homeOrg), ...(rolesOf.get(u.id) ?? [])];
    entities.push({ uid: uid('User', u.id), attrs: {}, parents });
  }
  const implies = { 'model:read': [], 'model:write': ['model:read'], 'model:execute': ['model:read'], 'model:admin': ['model:write', 'model:execute'] };
  for (const [scope, parents] of Object.entries(implies)) {
    entities.push({ uid: uid('Scope', scope), attrs: {}, parents: parents.map((p) => uid('Scope', p)) });
  }
  for (const k of world.keys) {
    entities.push({ uid: uid('ApiKey', k.id), attrs: { owner: { __entity: uid('User', k.user) } }, parents: k.scopes.map((s) => uid('Scope', s)) });
  }
  for (const m of world.models) {
    entities.push({ uid: uid('Model', m.id), attrs: { org: { __entity: uid('Org', m.org) }, owner: { __entity: uid('User', m.owner) }, stage: m.stage }, parents: [] });
  }
  return entities;
}

function cedarGrants(world) {
  const policies = [];
  for (const g of world.grants) {
    if (!g.active) continue;
    const op = g.subjectType === 'user' ? '==' : 'in';
    const condition = g.expiresAt === null ? '' : `\nwhen { context.now < ${g.expiresAt} }`;
    const text =
      `@id("${g.id}")\n` +
      `permit (principal ${op} ${CEDAR_TYPE[g.subjectType]}::"${g.subjectId}", action in Action::"level:${g.level}", resource == Model::"${g.model}")` +
      `${condition};`;
    policies.push({ id: g.id, resource: g.model, policy: text });
  }
  return policies;
}

function casbinPolicy(world) {
  const lines = [];
  for (const t of world.teams) lines.push(`g, ${t.id}, ${t.org}`);
  for (const u of world.users) {
    lines.push(`g, ${u.id}, ${u.homeOrg}`);
    for (const t of u.teams) lines.push(`g, ${u.id}, ${t}`);
  }
  for (const o of world.orgs) {
    for (let i = ORG_ROLES.length - 1; i > 0; --i) lines.push(`g, ${o}/${ORG_ROLES[i]}, ${o}/${ORG_ROLES[i - 1]}`);
  }
  for (const r of world.roles) lines.push(r.org === null ? `g, ${r.user}, ${r.role}` : `g, ${r.user}, ${r.org}/${r.role}`);
  for (const g of world.grants) {
    if (grantValid(g, world.now)) lines.push(`g, ${g.subjectId}, ${g.model}/${g.level}`);
  }
  for (const k of world.keys) for (const s of k.scopes) lines.push(`g2, ${k.id}, ${s}`);
  return lines;
}

function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      seed: { type: 'string' },
      orgs: { type: 'string' },
      teams: { type: 'string' },
      users: { type: 'string' },
      models: { type: 'string' },
      grants: { type: 'string' },
      requests: { type: 'string' },
    },
  });
  if (!values.out) throw new Error('usage: node generate.mjs --out DIR [--seed N] [--models N] [--grants N] ...');
  const options = {};
  for (const name of Object.keys(DEFAULTS)) {
    if (values[name] === undefined) continue;
    const n = Number(values[name]);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, not \`${values[name]}\``);
    options[name] = n;
  }
  const world = generateWorld(options);
  const requests = generateRequests(world, options);
  const out = values.out;
  fs.mkdirSync(out, { recursive: true });
  writeLines(path.join(out, 'scenario.tsv'), scenarioTsv(world));
  writeLines(path.join(out, 'requests.tsv'), requests.map((r) => `${r.key}\t${r.method}\t${r.path}`));
  writeLines(path.join(out, 'warden-facts.jsonl'), wardenFacts(world));
  writeLines(
    path.join(out, 'warden-requests.jsonl'),
    requests.map((r) => JSON.stringify({ api_key: r.key, method: r.method, path: r.path, context: { time: world.now } })),
  );
  fs.writeFileSync(path.join(out, 'cedar-entities.json'), JSON.stringify(cedarEntities(world)));
  fs.writeFileSync(path.join(out, 'cedar-grants.json'), JSON.stringify(cedarGrants(world)));
  writeLines(path.join(out, 'casbin-policy.csv'), casbinPolicy(world));
  const counts = {
    orgs: world.orgs.length,
    teams: world.teams.length,
    users: world.users.length,
    keys: world.keys.length,
    models: world.models.length,
    grants: world.grants.length,
    grants_valid_at_now: world.grants.filter((g) => grantValid(g, world.now)).length,
    role_assignments: world.roles.length,
    requests: requests.length,
  };
  fs.writeFileSync(path.join(out, 'scenario.json'), JSON.stringify({ seed: world.seed, now: world.now, counts }, null, 2) + '\n');
  console.log(`generated into ${out}: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
}

main();
