// CORS: preflights and responses for an allowed origin (credentials, exposed headers, allowed
// request headers), and no CORS grant for another origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ORIGIN, OTHER_ORIGIN, call } from './helpers.mjs';

const REQUEST_HEADERS = ['if-match', 'if-none-match', 'authorization', 'idempotency-key', 'content-type'];
const EXPOSED = ['etag', 'retry-after', 'location'];
const list = (value) => (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

function preflight(path, origin, method, headers = REQUEST_HEADERS) {
  return call(path, {
    method: 'OPTIONS',
    auth: false, // browsers send preflights without credentials
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': headers.join(','),
    },
  });
}

const skipUnlessOrigin = (t) => (ORIGIN ? false : (t.skip('set CONFORMANCE_ORIGIN to an origin the backend allows'), true));

for (const [path, method] of [['/customers', 'GET'], ['/segments', 'POST'], ['/segments/some-id', 'PUT'], ['/journeys/some-id', 'DELETE']]) {
  test(`preflight ${method} ${path} from the allowed origin grants it with credentials`, async (t) => {
    if (skipUnlessOrigin(t)) return;
    const res = await preflight(path, ORIGIN, method);
    assert.ok(res.status >= 200 && res.status < 300, `preflight status ${res.status}`);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, 'echoes the origin (never * with credentials)');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    const methods = list(res.headers.get('access-control-allow-methods'));
    assert.ok(methods.includes(method.toLowerCase()) || methods.includes('*'), `allows ${method}: ${methods}`);
    const allowed = list(res.headers.get('access-control-allow-headers'));
    for (const h of REQUEST_HEADERS) assert.ok(allowed.includes(h), `allows request header ${h}: ${allowed}`);
    assert.ok(list(res.headers.get('vary')).includes('origin') || res.headers.get('access-control-allow-origin') === ORIGIN);
  });
}

test('responses to the allowed origin carry the origin, credentials and the exposed headers, errors too', async (t) => {
  if (skipUnlessOrigin(t)) return;
  for (const path of ['/meta', '/customers?limit=1', '/segments/no-such-id', '/customers?limit=zero']) {
    const res = await call(path, { headers: { Origin: ORIGIN } });
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, `${path} (${res.status})`);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true', path);
    const exposed = list(res.headers.get('access-control-expose-headers'));
    for (const h of EXPOSED) assert.ok(exposed.includes(h), `${path}: exposes ${h}: ${exposed}`);
    assert.ok(list(res.headers.get('vary')).includes('origin'), `${path}: Vary: Origin`);
  }
});

test('another origin gets no CORS grant, on preflights and on responses', async (t) => {
  const pre = await preflight('/segments', OTHER_ORIGIN, 'POST');
  assert.equal(pre.headers.get('access-control-allow-origin'), null, `preflight from ${OTHER_ORIGIN}`);
  assert.equal(pre.headers.get('access-control-allow-credentials'), null);
  const res = await call('/meta', { headers: { Origin: OTHER_ORIGIN } });
  const allow = res.headers.get('access-control-allow-origin');
  assert.ok(allow === null, `GET from ${OTHER_ORIGIN} got Access-Control-Allow-Origin: ${allow}`);
  // A write from another origin must not happen (a browser would hide the answer, not stop it).
  const write = await call('/segments', {
    method: 'POST', headers: { Origin: OTHER_ORIGIN }, json: { name: 'cross-origin', definition: { rule: 'all', rules: [] } },
  });
  assert.ok(write.status === 403 || (write.status >= 400 && write.status < 500), `cross-origin POST: ${write.status}`);
  assert.equal(write.headers.get('access-control-allow-origin'), null);
  if (ORIGIN) {
    // The allowed origin's host with another scheme or port is another origin.
    const u = new URL(ORIGIN);
    const twin = `${u.protocol === 'https:' ? 'http:' : 'https:'}//${u.host}`;
    const other = await preflight('/meta', twin, 'GET');
    assert.equal(other.headers.get('access-control-allow-origin'), null, `${twin} is not ${ORIGIN}`);
  } else {
    t.diagnostic('CONFORMANCE_ORIGIN not set: only the refusal was checked');
  }
});
