// The Express example (scenario 5) over real HTTP on loopback: the app is
// started on an ephemeral port of 127.0.0.1 and driven with fetch.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { createApp } = require('../app');

let base;
let server;
const audit = [];

test.before(async () => {
  server = createApp({ audit }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

test.after(() => new Promise((resolve) => server.close(resolve)));

async function call(method, url, user, body, extra = {}) {
  const headers = { ...extra };
  if (user) headers['x-user'] = user;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(base + url, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

test('members see a server of their organization; outsiders get ORG_ACCESS_DENIED', async () => {
  const ok = await call('GET', '/api/orgs/acme/api-servers/srv1', 'ben');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.id, 'srv1');
  const outsider = await call('GET', '/api/orgs/acme/api-servers/srv1', 'zed', null, { 'x-request-id': 'req-z' });
  assert.equal(outsider.status, 403);
  assert.deepEqual(Object.keys(outsider.body).sort(), ['code', 'hint', 'message', 'request_id', 'required']);
  assert.equal(outsider.body.code, 'ORG_ACCESS_DENIED');
  assert.match(outsider.body.message, /zed is not a member of organization acme/);
  assert.equal(outsider.body.request_id, 'req-z');
});

test('update and delete need ManageSettings in the organization', async () => {
  const admin = await call('PATCH', '/api/orgs/acme/api-servers/srv1', 'ann', { url: 'https://new.acme.test' });
  assert.equal(admin.status, 200);
  assert.equal(admin.body.url, 'https://new.acme.test');
  const member = await call('PATCH', '/api/orgs/acme/api-servers/srv1', 'ben', { url: 'x' });
  assert.equal(member.status, 403);
  assert.equal(member.body.code, 'PERMISSION_DENIED');
  const memberDelete = await call('DELETE', '/api/orgs/acme/api-servers/srv1', 'ben');
  assert.equal(memberDelete.status, 403);
});

test('create needs ManageSettings in the organization named by the path; status codes per organization', async () => {
  const created = await call('POST', '/api/orgs/acme/api-servers', 'ann', { id: 'srv-new', url: 'https://n.test' });
  assert.equal(created.status, 201);
  assert.equal(created.body.org, 'acme');
  const cases = [
    ['ben', 'acme', 'PERMISSION_DENIED'],
    ['zed', 'acme', 'ORG_ACCESS_DENIED'],
    ['sue', 'susp', 'ORG_SUSPENDED'],
    ['ina', 'dormant', 'ORG_INACTIVE'],
  ];
  for (const [user, org, code] of cases) {
    const r = await call('POST', `/api/orgs/${org}/api-servers`, user, { id: `x-${user}` });
    assert.equal(r.status, 403, user);
    assert.equal(r.body.code, code, user);
  }
  const read = await call('GET', '/api/orgs/acme/api-servers/srv-new', 'ben');
  assert.equal(read.status, 200); // the new server is a fact: its org decides
});

test('test is open to every member, also through a team, unless the organization is suspended', async () => {
  const viaTeam = await call('POST', '/api/orgs/acme/api-servers/srv1/test', 'cy');
  assert.equal(viaTeam.status, 200);
  const suspended = await call('POST', '/api/orgs/susp/api-servers/srv-s/test', 'sue');
  assert.equal(suspended.status, 403);
  assert.equal(suspended.body.code, 'ORG_SUSPENDED');
  const inactive = await call('PATCH', '/api/orgs/dormant/api-servers/srv-i', 'ina', { url: 'x' });
  assert.equal(inactive.body.code, 'ORG_INACTIVE');
});

test('list endpoints show only what the caller may see', async () => {
  const ben = await call('GET', '/api/api-servers', 'ben');
  assert.equal(ben.status, 200);
  assert.deepEqual(ben.body.servers.map((s) => s.id).sort(), ['srv-new', 'srv1']);
  const sue = await call('GET', '/api/api-servers', 'sue');
  assert.deepEqual(sue.body.servers.map((s) => s.id), ['srv-s']);
  const zed = await call('GET', '/api/orgs/acme/api-servers', 'zed');
  assert.deepEqual(zed.body.servers, []);
  const cy = await call('GET', '/api/orgs/acme/api-servers', 'cy');
  assert.deepEqual(cy.body.servers.map((s) => s.id).sort(), ['srv-new', 'srv1']);
});

test('a suspended organization still deletes', async () => {
  const r = await call('DELETE', '/api/orgs/susp/api-servers/srv-s', 'sue');
  assert.equal(r.status, 204);
  const after = await call('GET', '/api/api-servers', 'sue');
  assert.deepEqual(after.body.servers, []);
});

test('no caller is 401; an unknown route is refused, not open', async () => {
  const anonymous = await call('GET', '/api/orgs/acme/api-servers/srv1', null);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
  const unknown = await call('GET', '/api/orgs/acme/servers', 'ann');
  assert.equal(unknown.status, 403);
  assert.equal(unknown.body.code, 'NO_MATCHING_ENDPOINT');
});

test('every decision reached the audit sink', () => {
  assert.ok(audit.length >= 15);
  assert.ok(audit.some((d) => d.code === 'ORG_SUSPENDED'));
  assert.ok(audit.some((d) => d.requestId === 'req-z'));
});
