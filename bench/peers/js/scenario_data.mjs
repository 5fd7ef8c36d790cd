// Reads scenario.tsv and requests.tsv (written by generate.mjs; the format
// is described there) into plain records: the application's own data, which
// the hand-written evaluator indexes and the Cedar and Casbin adapters use as
// their key and model stores.
import fs from 'node:fs';
import path from 'node:path';

function fail(file, line, message) {
  throw new Error(`${file}:${line}: ${message}`);
}

export function readScenario(dir) {
  const file = path.join(dir, 'scenario.tsv');
  const db = { now: null, orgs: [], teams: [], users: [], roles: [], keys: [], models: [], grants: [] };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const list = (s) => (s === '' ? [] : s.split(','));
  lines.forEach((text, i) => {
    if (text === '') return;
    const f = text.split('\t');
    const want = (n) => f.length === n || fail(file, i + 1, `\`${f[0]}\` needs ${n - 1} fields, found ${f.length - 1}`);
    switch (f[0]) {
      case 'now': want(2); db.now = Number(f[1]); break;
      case 'org': want(2); db.orgs.push(f[1]); break;
      case 'team': want(3); db.teams.push({ id: f[1], org: f[2] }); break;
      case 'user': want(4); db.users.push({ id: f[1], homeOrg: f[2], teams: list(f[3]) }); break;
      case 'role': want(4); db.roles.push({ user: f[1], role: f[2], org: f[3] === '*' ? null : f[3] }); break;
      case 'key': want(4); db.keys.push({ id: f[1], user: f[2], scopes: list(f[3]) }); break;
      case 'model': want(5); db.models.push({ id: f[1], org: f[2], owner: f[3], stage: f[4] }); break;
      case 'grant':
        want(8);
        db.grants.push({ id: f[1], subjectType: f[2], subjectId: f[3], model: f[4], level: f[5], expiresAt: f[6] === '-' ? null : Number(f[6]), active: f[7] === '1' });
        break;
      default: fail(file, i + 1, `unknown record \`${f[0]}\``);
    }
  });
  if (db.now === null || !Number.isSafeInteger(db.now)) fail(file, 1, 'missing `now` record');
  return db;
}

export function readRequests(dir) {
  const file = path.join(dir, 'requests.tsv');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      const f = l.split('\t');
      if (f.length !== 3) fail(file, i + 1, 'a request is: key, method, path');
      return { key: f[0], method: f[1], path: f[2] };
    });
}
