// Shared pieces of the fault tests: the app served from a dist and pointed at the REAL reference
// backend started by tests/faults/run, fault injection on the backend's URLs (page.route), direct
// HTTP calls to check the backend's state, and the fault matrix results.
//
// Environment (set by tests/faults/run): FAULTS_BACKEND_URL, FAULTS_TOKEN, FAULTS_APP_PORT,
// FAULTS_RESULTS (folder for the matrix rows), E2E_DIST (the built app).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';

import { DIST, launchBrowser, SCREENSHOT_DIR, readFigures, parseNumber } from '../e2e/helpers.mjs';
import { startServer } from '../e2e/serve-dist.mjs';

export const API = (process.env.FAULTS_BACKEND_URL ?? '').replace(/\/+$/, '');
export const TOKEN = process.env.FAULTS_TOKEN ?? '';
export const APP_PORT = Number(process.env.FAULTS_APP_PORT ?? 0);
export const RESULTS = process.env.FAULTS_RESULTS ?? path.join(SCREENSHOT_DIR, 'fault-matrix');
if (!API || !APP_PORT) throw new Error('run these tests with bash tests/faults/run (FAULTS_BACKEND_URL, FAULTS_APP_PORT)');
/** The client's time limit per request in these tests (config.json `request_timeout`). */
export const REQUEST_TIMEOUT_S = 3;
export const TEST_TIMEOUT = 900_000;
export const WAIT = 60_000;
/** A run id: names and row ids this run creates never collide with another run's. */
export const RUN = Date.now().toString(36).slice(-5);

// --- The app and the browser -----------------------------------------------------------

/** Serves the dist on FAULTS_APP_PORT (the origin the backend allows) and launches Chromium. */
export function useStack() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer({ root: DIST, port: APP_PORT });
    // Requests Playwright intercepts lose their initiator's address space, so Chromium's Local
    // Network Access checks would refuse the app (on 127.0.0.1) calling the backend (127.0.0.1).
    env.browser = await launchBrowser([
      '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults',
    ]);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * A fresh context whose app uses the backend: config.json names it (and a short request
 * timeout), and the host page hands over the bearer token in `data-token`, as a portal would.
 * Collects uncaught page errors (console "Failed to load resource" lines of the injected
 * faults are expected and not collected).
 */
export async function openApp(browser, { locale = 'en-US', context } = {}) {
  context ??= await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message}`));
  page.on('console', (msg) => {
    if (process.env.FAULTS_DEBUG) console.log(`  [console.${msg.type()}] ${msg.text()}`);
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (/Failed to load resource|net::ERR_|Access to fetch|favicon/.test(text)) return;
    errors.push(`console.error: ${text}`);
  });
  const appOrigin = `http://127.0.0.1:${APP_PORT}`;
  await page.route(
    (url) => url.origin === appOrigin && url.pathname === '/config.json',
    (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ api: API, request_timeout: REQUEST_TIMEOUT_S }) }),
  );
  await page.route(
    (url) => url.origin === appOrigin && !/\.[a-z0-9]+$/i.test(url.pathname),
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const real = await route.fetch();
      const html = (await real.text()).replace('<body></body>', `<body data-token="${TOKEN}"></body>`);
      return route.fulfill({ response: real, body: html });
    },
  );
  return { context, page, errors, url: (p = '/') => appOrigin + p };
}

export function assertNoPageErrors(errors, where) {
  assert.deepEqual(errors, [], `${where}: uncaught errors in the page`);
}

export async function shot(page, name, lang) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The top of the page: the header (Offline pill, Refresh), the load messages and the bar.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `faults-${name}-${lang}.png`) });
}

/** Switches the app's language with its select (the messages follow). */
export async function setLanguage(page, lang) {
  await page.getByRole('combobox', { name: /^(Language|언어)$/ }).selectOption(lang);
}

/** Retry `fn` until it stops throwing (or `timeout` passes). */
export async function eventually(fn, { timeout = WAIT, interval = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) {
        err.message = `${what}: still failing after ${timeout} ms: ${err.message}`;
        throw err;
      }
    }
    await sleep(interval);
  }
}

/** The Dashboard's Customers and Events figures as numbers. */
export async function figures(page) {
  const all = await readFigures(page.locator('body'));
  const get = (label) => parseNumber(all.find((f) => f.label === label)?.value ?? '');
  return { customers: get('Customers') || get('고객 수'), events: get('Events') || get('이벤트 수') };
}

// --- The backend, directly -------------------------------------------------------------

/** One request to the backend with the token; returns { status, headers, body }. */
export async function backend(p, { method = 'GET', json } = {}) {
  const headers = { Authorization: `Bearer ${TOKEN}` };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(API + p, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Every row of a paged list (customers, events, segments), and how many pages it took. */
export async function listAll(collection) {
  const rows = [];
  let cursor = null;
  let pages = 0;
  do {
    const q = cursor ? `?limit=5000&cursor=${encodeURIComponent(cursor)}` : '?limit=5000';
    const res = await backend(`/${collection}${q}`);
    assert.equal(res.status, 200, `GET /${collection}`);
    rows.push(...res.body.data);
    cursor = res.body.next_cursor;
    pages += 1;
  } while (cursor);
  return { rows, pages };
}

export async function backendCounts() {
  const [customers, events] = await Promise.all([listAll('customers'), listAll('events')]);
  return { customers: customers.rows.length, events: events.rows.length, pages: customers.pages + events.pages };
}

/** Adds rows through the backend's test-only upsert endpoints (--test-endpoints). */
export async function addRows(tag, { customers = 1, eventsEach = 2 } = {}) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
  const cs = Array.from({ length: customers }, (_, i) => ({
    id: `F-${RUN}-${tag}-${i}`,
    name: `신규 고객 ${tag}-${i}`,
    created_at: now,
    attributes: {},
  }));
  const es = cs.flatMap((c) =>
    Array.from({ length: eventsEach }, (_, j) => ({ id: `${c.id}-e${j}`, customer_id: c.id, type: 'visit', at: now })),
  );
  for (const [kind, data] of [['customers', cs], ['events', es]]) {
    const res = await backend(`/_test/${kind}`, { method: 'POST', json: { data } });
    assert.equal(res.status, 200, `upsert ${kind}: ${JSON.stringify(res.body)}`);
  }
}

/** The saved segments on the backend with this exact name. */
export async function segmentsNamed(name) {
  return (await listAll('segments')).rows.filter((s) => s.name === name);
}

// --- Faults ----------------------------------------------------------------------------

const problem = (status, title) => JSON.stringify({ type: 'about:blank', title, status });

function cors(route) {
  const origin = route.request().headers().origin ?? `http://127.0.0.1:${APP_PORT}`;
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'ETag, Retry-After, Location',
    vary: 'Origin',
  };
}

/** Forwards the request to the backend (it is applied there) and answers with `mangle(text)`. */
async function mangled(route, mangle) {
  const real = await route.fetch();
  const text = await real.text();
  return route.fulfill({ response: real, body: mangle(text) });
}

/** Spoils one field's type: a definition's version, a customer's created_at, an event's at. */
export function wrongType(text) {
  // PostgreSQL's jsonb text has a space after the colon; serde's output has none.
  for (const [pattern, replacement] of [
    [/"version":\s*(\d+)/, '"version":"$1"'],
    [/"created_at":\s*"[^"]*"/, '"created_at":12'],
    [/"at":\s*"[^"]*"/, '"at":12'],
  ]) {
    if (pattern.test(text)) return text.replace(pattern, replacement);
  }
  throw new Error(`wrongType: no field to spoil in ${text.slice(0, 200)}`);
}

/**
 * The faults of the matrix. `once`: only the first matching request fails. `applied`: the
 * request reaches the backend (which applies it) and only its answer is spoilt.
 */
export const FAULTS = {
  '500 once': { once: true, respond: (r) => r.fulfill({ status: 500, headers: cors(r), contentType: 'text/plain', body: 'upstream failed' }) },
  '500 always': { respond: (r) => r.fulfill({ status: 500, headers: cors(r), contentType: 'text/plain', body: 'upstream failed' }) },
  'dropped connection': { respond: (r) => r.abort('connectionreset') },
  timeout: {
    respond: async (r) => {
      await sleep((REQUEST_TIMEOUT_S + 1) * 1000);
      await r.abort('timedout').catch(() => {});
    },
  },
  'malformed JSON': { applied: true, respond: (r) => mangled(r, () => '{"data":[{"id":,}') },
  'truncated body': { applied: true, respond: (r) => mangled(r, (t) => t.slice(0, Math.max(1, Math.floor(t.length / 2)))) },
  'wrong field type': { applied: true, respond: (r) => mangled(r, wrongType) },
  '401 Unauthorized': { respond: (r) => r.fulfill({ status: 401, headers: cors(r), contentType: 'application/problem+json', body: problem(401, 'Unauthorized') }) },
  '429 Retry-After: 2': {
    once: true,
    respond: (r) => r.fulfill({ status: 429, headers: { ...cors(r), 'retry-after': '2' }, contentType: 'application/problem+json', body: problem(429, 'Too Many Requests') }),
  },
};

/**
 * Injects `fault` on the backend requests `match(request)` accepts (`consumers`: how many
 * components send the same request). Returns a handle: `hits`,
 * `times` (ms of each hit) and `lift()` (later requests pass through untouched).
 */
export async function inject(page, faultName, match, { consumers = 1 } = {}) {
  const fault = FAULTS[faultName];
  const state = { active: true, hits: 0, times: [], lift: () => { state.active = false; } };
  await page.route(
    (url) => url.href.startsWith(API + '/'),
    async (route) => {
      const req = route.request();
      if (process.env.FAULTS_DEBUG) console.log(`  [route] ${req.method()} ${req.url()} active=${state.active} match=${match(req)}`);
      if (!state.active || !match(req)) return route.fallback();
      state.hits += 1;
      state.times.push(Date.now());
      // A `once` fault fails the first request of each consumer (several components may ask).
      if (fault.once && state.hits >= consumers) state.active = false;
      try {
        return await fault.respond(route);
      } catch {
        // The client gave up on the request (its timeout) before the answer: nothing to do.
        return undefined;
      }
    },
  );
  return state;
}

/** Request matchers. */
export const on = (method, pathTest) => (req) => {
  if (req.method() !== method) return false;
  const url = new URL(req.url());
  const p = url.pathname.slice(new URL(API).pathname.replace(/\/$/, '').length);
  return pathTest(p, url.searchParams);
};

// --- The matrix ------------------------------------------------------------------------

/** Records one matrix row (fault → { operation: outcome }) for print-matrix.mjs. */
export function recordRow(file, fault, cells) {
  mkdirSync(RESULTS, { recursive: true });
  const name = `${file}-${fault}`.replace(/[^a-z0-9]+/gi, '_');
  writeFileSync(path.join(RESULTS, `${name}.json`), JSON.stringify({ file, fault, cells, order: Date.now() }));
}
