// Shared pieces of the end-to-end tests: browser launch, the dist/ server, the UI contract
// (routes, names in both languages) and the checks every page goes through.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from './serve-dist.mjs';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const DIST = path.resolve(process.env.E2E_DIST ?? path.join(REPO_ROOT, 'dist'));
export const SCREENSHOT_DIR = path.join(E2E_DIR, 'screenshots');
/** `crm-lens-query`, built by `cargo build --bin crm-lens-query` (or `cargo test`). */
export const QUERY_CLI =
  process.env.CRM_LENS_QUERY ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO_ROOT, 'target'), 'debug', 'crm-lens-query');

/** The engine's answer to a query (`{ kind, … }`, version added) on the demo data, through the CLI. */
export function runQuery(query) {
  const out = execFileSync(
    QUERY_CLI,
    ['run', '--data', path.join(REPO_ROOT, 'public/demo'), '--query', '-', '--compact'],
    { input: JSON.stringify({ v: 1, ...query }), maxBuffer: 64 << 20 },
  );
  return JSON.parse(out.toString());
}

// The demo data is ~15 MB of JSON: loading it may take a while on a busy 2-core machine.
export const DATA_TIMEOUT = Number(process.env.E2E_DATA_TIMEOUT_MS ?? 120_000);
// Per node:test test; generous, but a hung browser must not eat CI's time.
export const TEST_TIMEOUT = Number(process.env.E2E_TEST_TIMEOUT_MS ?? 600_000);

// --- The UI contract -------------------------------------------------------------------

export const PAGES = [
  { key: 'dashboard', path: '/', en: 'Dashboard', ko: '대시보드' },
  { key: 'customers', path: '/customers', en: 'Customers', ko: '고객' },
  { key: 'segments', path: '/segments', en: 'Segments', ko: '세그먼트' },
  { key: 'cohorts', path: '/cohorts', en: 'Cohorts', ko: '코호트' },
  { key: 'journeys', path: '/journeys', en: 'Journeys', ko: '여정' },
  // Settings need not show data numbers.
  { key: 'settings', path: '/settings', en: 'Settings', ko: '설정', noData: true },
];
export const pageByKey = (key) => PAGES.find((p) => p.key === key);

export const FIGURE_LABELS = {
  en: ['Customers', 'Events', 'Revenue', 'Active customers (30 days)'],
  ko: ['고객 수', '이벤트 수', '매출', '활성 고객 (30일)'],
};
export const DEMO_DATA_TEXT = { en: 'Demo data', ko: '데모 데이터' };
export const TIME_ZONE = 'Asia/Seoul';
export const LANGUAGE_OPTION = { en: 'English', ko: '한국어' };
// The contract names the select "Language"; a Korean UI may call it 언어.
export const LANGUAGE_SELECT_NAME = /^(Language|언어)$/;

// --- Browser and server ----------------------------------------------------------------

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling out to a closed network.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * Debian's Chromium. Playwright gives every launch a fresh, temporary user-data dir.
 * `extraArgs` are added to CHROMIUM_ARGS.
 */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Serve the built app (dist/, or $E2E_DIST) on a random port. */
export async function startApp() {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html not found: build the app first (trunk build --release)`);
  }
  return startServer({ root: DIST, port: 0 });
}

/** Collect console errors and uncaught page errors of a page. */
export function watchErrors(pg) {
  const errors = [];
  pg.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const { url, lineNumber } = msg.location();
    // Chromium asks for /favicon.ico by itself and logs its 404; that is not the app's doing.
    if (url && new URL(url).pathname === '/favicon.ico') return;
    errors.push(`console.error: ${msg.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  pg.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message}`));
  return errors;
}

/** A new context (own storage, given locale) with one page whose errors are collected. */
/**
 * Serves dist/ and launches a browser for the enclosing `describe`, closing both after it.
 * Returns an object whose `server` and `browser` are set once `before` has run.
 */
export function useAppAndBrowser() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startApp();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

export async function openPage(browser, { locale = 'en-US' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const pg = await context.newPage();
  pg.setDefaultTimeout(30_000);
  pg.setDefaultNavigationTimeout(60_000);
  const errors = watchErrors(pg);
  return { context, page: pg, errors };
}

export function assertNoErrors(errors, where = 'page') {
  assert.deepEqual(errors, [], `${where}: console errors or uncaught exceptions`);
}

export async function screenshot(pg, name, lang) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await pg.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${lang}.png`), fullPage: true });
}

// --- Small utilities -------------------------------------------------------------------

/** Retry `fn` until it stops throwing; then rethrow its last error with `what` prefixed. */
export async function eventually(fn, { timeout = DATA_TIMEOUT, interval = 250, what = 'condition' } = {}) {
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

/** The first number in a text: "1,234", "₩12.5M", "3 456" → 1234, 12.5, 3456; NaN if none. */
export function parseNumber(text) {
  if (typeof text !== 'string') return NaN;
  const m = text.replace(/[\s\u00a0\u202f]/g, '').match(/\d[\d,]*(?:\.\d+)?/);
  return m ? Number(m[0].replace(/,/g, '')) : NaN;
}

// --- Reading the page ------------------------------------------------------------------

/** Headline figures: every <dt> in a <dl> inside <main>, with the text of its <dd>. */
export function readFigures(scope) {
  return scope.locator('main').evaluate((main) => {
    const clean = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    return [...main.querySelectorAll('dl dt')].map((dt) => {
      let dd = dt.nextElementSibling;
      while (dd && dd.tagName !== 'DD') dd = dd.tagName === 'DT' ? null : dd.nextElementSibling;
      return { label: clean(dt.textContent), value: dd ? clean(dd.textContent) : null };
    });
  });
}

/**
 * Controls without an accessible name: buttons, selects, inputs, text areas, links and
 * elements with a widget role. The name is computed as browsers do in the cases that matter
 * here: aria-labelledby, aria-label, <label>s, content (buttons, links), value (input buttons),
 * alt, title, placeholder. Hidden elements are skipped. Returns their HTML, shortened.
 */
export function controlsWithoutName(scope) {
  return scope.evaluate((root) => {
    const SELECTOR = [
      'button', 'select', 'textarea', 'input:not([type="hidden"])', 'a[href]',
      ...['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'combobox', 'listbox', 'textbox',
        'searchbox', 'slider', 'spinbutton', 'menuitem', 'option'].map((r) => `[role="${r}"]`),
    ].join(',');
    const isHidden = (el) => {
      for (let e = el; e; e = e.parentElement) {
        if (e.getAttribute('aria-hidden') === 'true' || e.hidden || e.inert) return true;
      }
      const style = getComputedStyle(el);
      return style.display === 'none' || style.visibility === 'hidden' || el.getClientRects().length === 0;
    };
    const content = (node) => {
      let out = '';
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.data;
        if (child.nodeType !== Node.ELEMENT_NODE || child.getAttribute('aria-hidden') === 'true') continue;
        const label = child.getAttribute('aria-label');
        if (label && label.trim()) out += ` ${label}`;
        else if (child.tagName === 'IMG') out += ` ${child.getAttribute('alt') ?? ''}`;
        else if (child.tagName.toLowerCase() === 'svg') out += ` ${child.querySelector('title')?.textContent ?? ''}`;
        else out += ` ${content(child)}`;
      }
      return out;
    };
    const byIds = (ids) =>
      ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
        .map((e) => e.getAttribute('aria-label') || content(e)).join(' ');
    const nameOf = (el) => {
      const tag = el.tagName;
      const type = (el.getAttribute('type') ?? '').toLowerCase();
      const parts = [el.getAttribute('aria-label') ?? ''];
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) parts.push(byIds(labelledBy));
      for (const label of el.labels ?? []) parts.push(content(label));
      if (tag === 'INPUT' && ['button', 'submit', 'reset'].includes(type)) {
        parts.push(el.value || { submit: 'Submit', reset: 'Reset' }[type] || '');
      }
      if (tag === 'INPUT' && type === 'image') parts.push(el.getAttribute('alt') ?? '');
      // Form fields are not named by their content (a <select>'s options are not its name).
      if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(tag)) parts.push(content(el));
      parts.push(el.getAttribute('title') ?? '');
      if (tag === 'INPUT' || tag === 'TEXTAREA') parts.push(el.getAttribute('placeholder') ?? '');
      return parts.join(' ').replace(/\s+/g, ' ').trim();
    };
    return [root, ...root.querySelectorAll(SELECTOR)]
      .filter((el) => el.matches(SELECTOR) && !isHidden(el) && nameOf(el) === '')
      .map((el) => el.outerHTML.replace(/\s+/g, ' ').slice(0, 200));
  });
}

// --- Checks ----------------------------------------------------------------------------

/** The page's level-1 heading inside <main>, waiting for it to appear. */
export async function expectHeading(scope, name, { timeout = DATA_TIMEOUT } = {}) {
  await scope
    .locator('main')
    .getByRole('heading', { level: 1, name, exact: true })
    .waitFor({ state: 'visible', timeout });
}

/** One navigation with the six links in `lang`; only the current one has aria-current=page. */
export async function expectNav(scope, lang, currentKey) {
  const nav = scope.getByRole('navigation');
  assert.equal(await nav.count(), 1, 'exactly one navigation landmark');
  for (const p of PAGES) {
    const link = nav.getByRole('link', { name: p[lang], exact: true });
    assert.equal(await link.count(), 1, `one nav link named "${p[lang]}"`);
    const current = await link.getAttribute('aria-current');
    if (p.key === currentKey) assert.equal(current, 'page', `nav link "${p[lang]}" has aria-current="page"`);
    else assert.ok(current === null || current === 'false', `nav link "${p[lang]}" is not marked current (${current})`);
  }
}

/** The header names the data source and the time zone. */
export async function expectHeader(scope, lang) {
  const header = scope.locator('header').filter({ hasText: DEMO_DATA_TEXT[lang] });
  assert.ok((await header.count()) >= 1, `a <header> showing "${DEMO_DATA_TEXT[lang]}"`);
  const text = await header.first().innerText();
  assert.ok(text.includes(TIME_ZONE), `the header shows the time zone ${TIME_ZONE}: "${text}"`);
}

/** The language <select>; returns it. */
export function languageSelect(scope) {
  return scope.getByRole('combobox', { name: LANGUAGE_SELECT_NAME });
}

export async function expectLanguageSelect(scope, lang) {
  const select = languageSelect(scope);
  assert.equal(await select.count(), 1, 'one <select> named "Language"');
  const options = (await select.locator('option').allInnerTexts()).map((s) => s.trim());
  for (const label of Object.values(LANGUAGE_OPTION)) {
    assert.ok(options.includes(label), `language option "${label}" (options: ${options.join(', ')})`);
  }
  const selected = await select.evaluate((s) => s.selectedOptions[0]?.textContent.trim());
  assert.equal(selected, LANGUAGE_OPTION[lang], 'selected language');
}

/** Wait until the Dashboard's headline figures are all there with values > 0. */
export function waitForFigures(scope, lang, { timeout = DATA_TIMEOUT } = {}) {
  return eventually(
    async () => {
      const figures = await readFigures(scope);
      for (const label of FIGURE_LABELS[lang]) {
        const fig = figures.find((f) => f.label === label);
        assert.ok(fig, `a <dt>${label}</dt> (found: ${JSON.stringify(figures)})`);
        assert.ok(parseNumber(fig.value) > 0, `"${label}" is a number > 0 (got "${fig.value}")`);
      }
      return figures;
    },
    { timeout, what: `dashboard figures (${lang})` },
  );
}

/** Wait until <main> is not busy and shows a number > 0 outside its headings. */
export function waitForNumbers(scope, { timeout = DATA_TIMEOUT } = {}) {
  return eventually(
    async () => {
      const { busy, numbers } = await scope.locator('main').evaluate((main) => {
        const copy = main.cloneNode(true);
        copy.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach((h) => h.remove());
        return {
          busy: main.matches('[aria-busy="true"]') || !!main.querySelector('[aria-busy="true"]'),
          numbers: (copy.textContent.match(/\d[\d,]*(?:\.\d+)?/g) ?? []).slice(0, 50),
        };
      });
      assert.ok(!busy, '<main> is still aria-busy');
      assert.ok(numbers.some((n) => Number(n.replace(/,/g, '')) > 0), `a number > 0 in <main> (found: ${numbers.join(' ') || 'none'})`);
    },
    { timeout, what: 'page content from the demo data' },
  );
}

export async function expectNamedControls(scope, where) {
  const unnamed = await controlsWithoutName(scope);
  assert.deepEqual(unnamed, [], `${where}: controls without an accessible name`);
}

/**
 * Everything one page must show once loaded: heading, nav, one <main>, (header),
 * the data, named controls. `scope` is the app's root (body, or #crm-lens when embedded).
 */
export async function checkPage(scope, { key, lang, header = true, timeout = DATA_TIMEOUT }) {
  const p = pageByKey(key);
  await expectHeading(scope, p[lang], { timeout });
  // The heading is there; the rest of the frame may take a moment longer to re-render.
  await eventually(
    async () => {
      await expectNav(scope, lang, key);
      assert.equal(await scope.locator('main').count(), 1, 'exactly one <main>');
      if (header) await expectHeader(scope, lang);
    },
    { timeout: Math.min(timeout, 10_000), what: `${p.en} page frame (${lang})` },
  );
  if (key === 'dashboard') await waitForFigures(scope, lang, { timeout });
  else if (!p.noData) await waitForNumbers(scope, { timeout });
  await expectNamedControls(scope, `${p.en} (${lang})`);
}

/** Mark the window so that a full page load (which drops the mark) can be told apart. */
export const markWindow = (pg) => pg.evaluate(() => { window.__e2eMark = 'still-here'; });
export const windowMarked = (pg) => pg.evaluate(() => window.__e2eMark === 'still-here');

/** The definition (a segment rule) of the segment saved in this browser under `name`. */
export async function savedDefinition(page, name) {
  const saved = await page.evaluate(() => localStorage.getItem('crm-lens:saved:segments'));
  let found;
  // The store's layout is the sync module's; find the item of this name in it.
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      if (v.name === name && v.definition) found = v.definition;
      Object.values(v).forEach(walk);
    }
  };
  walk(JSON.parse(saved ?? 'null'));
  assert.ok(found, `segment “${name}” is saved in this browser`);
  return found;
}
