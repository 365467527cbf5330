// Shared helpers of the conformance suite (node:test + plain fetch, no dependencies).
//
// Settings (environment):
//   CONFORMANCE_URL            base URL of the backend under test (required), e.g. http://127.0.0.1:8787
//   CONFORMANCE_TOKEN          bearer token the backend requires (enables the 401 tests)
//   CONFORMANCE_COOKIE         a Cookie header value for a cookie-session backend
//   CONFORMANCE_ORIGIN         an origin the backend allows (enables the CORS tests)
//   CONFORMANCE_OTHER_ORIGIN   an origin it must refuse (default https://not-allowed.invalid)
//   CONFORMANCE_TEST_HOOKS=1   the backend has POST /_test/customers and /_test/events (upserts
//                              {"data":[...]}): enables the tests that add rows during a listing

import assert from 'node:assert/strict';

export const BASE = (process.env.CONFORMANCE_URL ?? '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('set CONFORMANCE_URL to the base URL of the backend under test (e.g. http://127.0.0.1:8787)');
}
export const TOKEN = process.env.CONFORMANCE_TOKEN || '';
export const COOKIE = process.env.CONFORMANCE_COOKIE || '';
export const ORIGIN = process.env.CONFORMANCE_ORIGIN || '';
export const OTHER_ORIGIN = process.env.CONFORMANCE_OTHER_ORIGIN || 'https://not-allowed.invalid';
export const HOOKS = process.env.CONFORMANCE_TEST_HOOKS === '1';
/** A run id, so the rows and definitions this run creates never collide with another run's. */
export const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Credentials the backend needs, as headers. */
export function authHeaders() {
  const h = {};
  if (TOKEN) h.Authorization = `Bearer ${TOKEN}`;
  if (COOKIE) h.Cookie = COOKIE;
  return h;
}

/**
 * One request. `auth: false` sends no credentials; `json` is sent as application/json.
 * Returns { status, headers, text, body } (body: parsed JSON or undefined).
 */
export async function call(path, { method = 'GET', headers = {}, json, raw, auth = true } = {}) {
  const h = { ...(auth ? authHeaders() : {}), ...headers };
  let body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    h['Content-Type'] ??= 'application/json';
  } else if (raw !== undefined) {
    body = raw;
  }
  const res = await fetch(BASE + path, { method, headers: h, body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let parsed;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Asserts a response is an RFC 9457 problem with this status. */
export function assertProblem(res, status, what = '') {
  assert.equal(res.status, status, `${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  const type = res.headers.get('content-type') ?? '';
  assert.match(type, /^application\/problem\+json/, `${what}: content-type is ${type}`);
  assert.ok(res.body && typeof res.body === 'object', `${what}: the problem body is JSON`);
  assert.equal(res.body.status, status, `${what}: problem.status`);
  assert.equal(typeof res.body.title, 'string', `${what}: problem.title`);
  return res.body;
}

/** Asserts a strong ETag header and returns it. */
export function strongEtag(res, what = '') {
  const etag = res.headers.get('etag');
  assert.ok(etag, `${what}: has an ETag`);
  assert.match(etag, /^"[^"]*"$/, `${what}: ETag ${etag} is strong and quoted`);
  return etag;
}

/** Pages through a list to its end. Returns { rows, pages, serverTimes }. */
export async function listAll(path, { limit, since, onPage, maxPages = 10_000 } = {}) {
  const rows = [];
  const serverTimes = new Set();
  let cursor = null;
  let pages = 0;
  do {
    const q = new URLSearchParams();
    if (limit) q.set('limit', String(limit));
    if (since) q.set('since', since);
    if (cursor) q.set('cursor', cursor);
    const res = await call(`${path}?${q}`);
    assert.equal(res.status, 200, `${path}?${q}: ${res.text.slice(0, 300)}`);
    assert.ok(Array.isArray(res.body?.data), `${path}: data is an array`);
    if (limit) assert.ok(res.body.data.length <= limit, `${path}: a page holds at most limit rows`);
    assert.ok(res.body.next_cursor === null || res.body.next_cursor === undefined || typeof res.body.next_cursor === 'string',
      'next_cursor is a string or null');
    if (res.body.server_time !== undefined) serverTimes.add(res.body.server_time);
    rows.push(...res.body.data);
    cursor = res.body.next_cursor ?? null;
    pages += 1;
    if (onPage) await onPage(pages, res.body);
    assert.ok(pages <= maxPages, `${path}: more than ${maxPages} pages: the cursor does not advance`);
  } while (cursor);
  return { rows, pages, serverTimes };
}

/** Ids that occur more than once. */
export function duplicates(ids) {
  const seen = new Set();
  const dups = new Set();
  for (const id of ids) {
    if (seen.has(id)) dups.add(id);
    seen.add(id);
  }
  return [...dups];
}

/** Upserts records through the backend's test hook (CONFORMANCE_TEST_HOOKS=1). */
export async function hookUpsert(kind, records) {
  const res = await call(`/_test/${kind}`, { method: 'POST', json: { data: records } });
  assert.equal(res.status, 200, `POST /_test/${kind}: ${res.text.slice(0, 300)}`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
