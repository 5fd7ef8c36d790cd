// node-casbin deciding the scenario: the model ../casbin/model.conf, the
// rules ../casbin/rules.csv and the generated links casbin-policy.csv,
// through the synchronous enforcer (enforceSync).
//
// Two enforcements per request, as an application behind a gateway makes
// them: the RESTful one (the key's scopes against the endpoint, keyMatch2 on
// the path), then the one on the model, whose record (id, org, owner,
// stage) the application looks up in its own store and passes as `r.obj`.
// The routing to the action and model id is the application's, as for
// Cedar; it is timed with the decision.
import fs from 'node:fs';
import path from 'node:path';

import { EnforceContext, StringAdapter, newEnforcer, newModelFromString } from 'casbin';

import { route } from './routes.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);

export class CasbinEngine {
  static version() {
    const pkg = JSON.parse(fs.readFileSync(path.join(here, '../node_modules/casbin/package.json'), 'utf8'));
    return pkg.version;
  }

  static async create(dataDir, db) {
    const engine = new CasbinEngine();
    const model = newModelFromString(fs.readFileSync(path.join(here, '../casbin/model.conf'), 'utf8'));
    const rules = fs.readFileSync(path.join(here, '../casbin/rules.csv'), 'utf8');
    const links = fs.readFileSync(path.join(dataDir, 'casbin-policy.csv'), 'utf8');
    engine.enforcer = await newEnforcer(model, new StringAdapter(`${rules}\n${links}`));
    engine.gateway = new EnforceContext('r2', 'p2', 'e2', 'm2');
    engine.ownerOf = new Map(db.keys.map((k) => [k.id, k.user]));
    engine.models = new Map(db.models.map((m) => [m.id, { id: m.id, org: m.org, owner: m.owner, stage: m.stage }]));
    return engine;
  }

  decide(request) {
    if (!this.enforcer.enforceSync(this.gateway, request.key, request.method, request.path)) return false;
    const match = route(request.method, request.path);
    const user = this.ownerOf.get(request.key);
    const model = match && this.models.get(match.id);
    if (!model || user === undefined) return false;
    return this.enforcer.enforceSync(user, model, match.route.action);
  }
}
