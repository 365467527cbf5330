// Bearer-token auth: 401 problem+json without or with a wrong token, 200 with it; CORS
// preflights need no token; a 401 to the allowed origin is readable by the app (CORS headers).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { COOKIE, ORIGIN, TOKEN, assertProblem, call } from './helpers.mjs';

const skipUnlessAuth = (t) => (TOKEN || COOKIE ? false : (t.skip('set CONFORMANCE_TOKEN (or CONFORMANCE_COOKIE) for a backend that requires auth'), true));

for (const path of ['/meta', '/customers?limit=1', '/events?limit=1', '/segments', '/journeys']) {
  test(`GET ${path}: 401 problem without credentials, 200 with them`, async (t) => {
    if (skipUnlessAuth(t)) return;
    assertProblem(await call(path, { auth: false }), 401, `${path} without credentials`);
    const ok = await call(path);
    assert.equal(ok.status, 200, `${path} with credentials: ${ok.text.slice(0, 200)}`);
  });
}

test('a wrong bearer token is a 401 with WWW-Authenticate; writes are refused too', async (t) => {
  if (!TOKEN) return t.skip('set CONFORMANCE_TOKEN for a bearer-token backend');
  const wrong = await call('/meta', { auth: false, headers: { Authorization: `Bearer ${TOKEN}x` } });
  assertProblem(wrong, 401, 'wrong token');
  assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/i);
  const missing = await call('/meta', { auth: false });
  assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/i);
  const post = await call('/segments', { method: 'POST', auth: false, json: { name: 'no auth', definition: { rule: 'all', rules: [] } } });
  assertProblem(post, 401, 'POST without a token');
});

test('preflights need no credentials and a 401 is readable by the allowed origin', async (t) => {
  if (skipUnlessAuth(t)) return;
  if (!ORIGIN) return t.skip('set CONFORMANCE_ORIGIN');
  const pre = await call('/segments', {
    method: 'OPTIONS', auth: false,
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  assert.ok(pre.status >= 200 && pre.status < 300, `preflight without credentials: ${pre.status}`);
  const denied = await call('/meta', { auth: false, headers: { Origin: ORIGIN } });
  assertProblem(denied, 401, '401 to the allowed origin');
  assert.equal(denied.headers.get('access-control-allow-origin'), ORIGIN, 'the app can read the 401');
});
