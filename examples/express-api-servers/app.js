// Scenario 5 of the design: organizations register API servers, and what an
// organization's status does to them — guarded by the reference policy
// policies/api_servers with Warden in process.
//
//   create / update / delete  need ManageSettings (role org_admin) in the server's organization
//   test                      any member of that organization
//   read / list               any member; list endpoints show only what the caller may see
//   suspended / inactive      may not create, update or test (ORG_SUSPENDED, ORG_INACTIVE); deletes stay allowed
//   outsiders                 ORG_ACCESS_DENIED
//
// How the checks are split:
//   - warden.express() reads the caller (here the `X-User` header stands in for
//     the session middleware a real service has) and decides every request
//     through the policy's endpoints — the single-server routes;
//   - creating names no server yet, so its route guards `create` with the
//     organization from the path as the resource's `org`;
//   - list routes return only authorizedResources('list', 'api_server');
//   - a new server becomes a fact (engine.apply) so the next decisions and
//     lists know it.
'use strict';

const path = require('node:path');
const express = require('express');
const warden = require('warden');

const ROOT = path.resolve(__dirname, '../..');

function createApp({ policy = path.join(ROOT, 'policies/api_servers'),
  facts = path.join(ROOT, 'fixtures/suites/api_servers/facts.jsonl'), audit = [] } = {}) {
  const compiled = warden.compile(policy);
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.text).join('\n'));
  const engine = new warden.Engine(compiled.artifact);
  engine.replaceFacts(facts);

  // The servers behind the API (their organization is also a fact).
  const servers = new Map([
    ['srv1', { id: 'srv1', org: 'acme', url: 'https://api.acme.test' }],
    ['srv-s', { id: 'srv-s', org: 'susp', url: 'https://api.susp.test' }],
    ['srv-i', { id: 'srv-i', org: 'dormant', url: 'https://api.dormant.test' }],
  ]);

  const LISTS = /^\/api(\/orgs\/[^/]+)?\/api-servers\/?$/;
  const w = warden.express({
    engine,
    principal: (req) => (req.get('x-user') ? { type: 'user', id: req.get('x-user') } : undefined),
    audit: (decision) => audit.push(decision),
    // Lists and creation are decided in their routes.
    skip: (req) => LISTS.test(req.path),
  });

  const app = express();
  app.use(express.json());
  app.use(w);

  const visible = (req) => new Set(req.warden.authorizedResources('list', 'api_server'));
  const inOrg = (req, res, next) => {
    const server = servers.get(req.params.server);
    if (!server || server.org !== req.params.org) return res.status(404).json({ code: 'NOT_FOUND' });
    req.server = server;
    return next();
  };

  app.get('/api/api-servers', (req, res) => {
    const ids = visible(req);
    res.json({ servers: [...servers.values()].filter((s) => ids.has(s.id)) });
  });

  app.get('/api/orgs/:org/api-servers', (req, res) => {
    const ids = visible(req);
    res.json({ servers: [...servers.values()].filter((s) => s.org === req.params.org && ids.has(s.id)) });
  });

  app.post('/api/orgs/:org/api-servers',
    w.guard('create', 'api_server', { attributes: (req) => ({ org: req.params.org }) }),
    (req, res) => {
      const id = String(req.body.id || '');
      if (!id || servers.has(id)) return res.status(409).json({ code: 'CONFLICT' });
      const server = { id, org: req.params.org, url: String(req.body.url || '') };
      engine.apply([{ op: 'upsert', kind: 'entity', type: 'api_server', id, attributes: { org: server.org } }]);
      servers.set(id, server);
      return res.status(201).json(server);
    });

  app.get('/api/orgs/:org/api-servers/:server', inOrg, (req, res) => res.json(req.server));

  app.patch('/api/orgs/:org/api-servers/:server', inOrg, (req, res) => {
    if (req.body.url) req.server.url = String(req.body.url);
    res.json(req.server);
  });

  app.delete('/api/orgs/:org/api-servers/:server', inOrg, (req, res) => {
    servers.delete(req.server.id);
    engine.apply([{ op: 'remove', kind: 'entity', type: 'api_server', id: req.server.id }]);
    res.status(204).end();
  });

  app.post('/api/orgs/:org/api-servers/:server/test', inOrg, (req, res) => {
    res.json({ server: req.server.id, probe: 'ok' });
  });

  app.locals.engine = engine;
  return app;
}

module.exports = { createApp };
