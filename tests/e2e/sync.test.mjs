// The data layer in demo mode (no backend): every loading failure is a clear message with
// "Try again" that works, loading shows its progress and can be cancelled, transient failures
// are retried (honouring Retry-After), the Offline indicator follows the connection, and a
// bearer token handed over in data-token is taken out of the DOM and never stored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  DATA_TIMEOUT,
  TEST_TIMEOUT,
  openPage,
  screenshot,
  useAppAndBrowser,
  waitForFigures,
} from './helpers.mjs';

const isDemo = (name) => (url) => new URL(url).pathname.endsWith(`/demo/${name}`);

/** Fails `name` with `fault` while `active()`; the real file otherwise. Counts requests. */
async function fault(page, name, respond) {
  const state = { active: true, requests: 0, times: [] };
  await page.route(isDemo(name), async (route) => {
    state.requests += 1;
    state.times.push(Date.now());
    if (!state.active) return route.continue();
    return respond(route, state);
  });
  return state;
}

async function expectAlert(page, pattern) {
  const alert = page.getByRole('alert').filter({ hasText: pattern });
  await alert.first().waitFor({ timeout: DATA_TIMEOUT });
  return alert.first();
}

describe('loading faults in demo mode', () => {
  const env = useAppAndBrowser();

  const cases = [
    {
      name: 'persistent 500 on meta.json',
      file: 'meta.json',
      respond: (route) => route.fulfill({ status: 500, body: 'boom' }),
      message: /The server answered HTTP 500/,
      minRequests: 4, // reads are retried with backoff before giving up
    },
    {
      name: '401 on customers.json',
      file: 'customers.json',
      respond: (route) => route.fulfill({ status: 401, body: '' }),
      message: /not signed in, or not allowed/,
      minRequests: 1,
    },
    {
      name: 'connection reset on meta.json',
      file: 'meta.json',
      respond: (route) => route.abort('connectionreset'),
      message: /could not be sent/,
      minRequests: 4,
    },
    {
      name: 'truncated events.json',
      file: 'events.json',
      respond: async (route) => {
        const real = await route.fetch();
        const body = (await real.body()).subarray(0, 5000);
        return route.fulfill({ status: 200, contentType: 'application/json', body });
      },
      message: /not in the expected format/,
      minRequests: 1,
    },
    {
      name: 'malformed meta.json',
      file: 'meta.json',
      respond: (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"v":1,,}' }),
      message: /not in the expected format/,
      minRequests: 1,
    },
    {
      name: 'wrong field type in customers.json',
      file: 'customers.json',
      respond: async (route) => {
        const real = await route.fetch();
        const body = (await real.text()).replace(/"created_at":"[^"]+"/, '"created_at":12');
        return route.fulfill({ status: 200, contentType: 'application/json', body });
      },
      message: /created_at/,
      minRequests: 1,
    },
  ];

  for (const c of cases) {
    test(`${c.name}: a clear message, then "Try again" loads the data`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page } = await openPage(env.browser, { locale: 'en-US' });
      try {
        const state = await fault(page, c.file, c.respond);
        await page.goto(env.server.url + '/');
        const alert = await expectAlert(page, c.message);
        assert.ok(state.requests >= c.minRequests, `${c.file} asked ${state.requests} times`);
        await screenshot(page, `sync-fault-${c.file.replace('.json', '')}-${c.name.split(' ')[0]}`, 'en');
        state.active = false;
        await alert.getByRole('button', { name: 'Try again' }).click();
        await waitForFigures(page.locator('body'), 'en');
        assert.equal(await page.getByRole('alert').count(), 0, 'the message is gone after a successful retry');
      } finally {
        await context.close();
      }
    });
  }

  test('429 with Retry-After is waited for and retried by itself', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const state = await fault(page, 'meta.json', (route, s) => {
        s.active = false; // once
        return route.fulfill({ status: 429, headers: { 'Retry-After': '2' }, body: '' });
      });
      await page.goto(env.server.url + '/');
      await waitForFigures(page.locator('body'), 'en');
      assert.equal(state.requests, 2);
      assert.ok(state.times[1] - state.times[0] >= 1900, `waited ${state.times[1] - state.times[0]} ms`);
    } finally {
      await context.close();
    }
  });

  test('loading shows its progress and can be cancelled, then tried again', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await openPage(env.browser, { locale: 'en-US' });
    try {
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      const state = await fault(page, 'events.json', async (route) => {
        await held;
        return route.continue().catch(() => {});
      });
      await page.goto(env.server.url + '/');
      const progress = page.getByRole('status').filter({ hasText: /Loading events: \d+ pages, [\d,]+ rows, [\d.]+ (MB|KB)/ });
      await progress.waitFor({ timeout: DATA_TIMEOUT });
      assert.equal(await page.getByRole('progressbar', { name: 'Loading progress' }).count(), 1);
      await screenshot(page, 'sync-progress', 'en');
      await page.getByRole('button', { name: 'Cancel loading' }).click();
      const alert = await expectAlert(page, /Cancelled\./);
      state.active = false;
      release();
      await alert.getByRole('button', { name: 'Try again' }).click();
      await waitForFigures(page.locator('body'), 'en');
    } finally {
      await context.close();
    }
  });

  test('the Offline indicator follows the connection (ko and en)', { timeout: TEST_TIMEOUT }, async () => {
    for (const [locale, lang, word] of [['en-US', 'en', 'Offline'], ['ko-KR', 'ko', '오프라인']]) {
      const { context, page } = await openPage(env.browser, { locale });
      try {
        await page.goto(env.server.url + '/');
        await waitForFigures(page.locator('body'), lang);
        const header = page.locator('header');
        assert.equal(await header.getByText(word, { exact: true }).count(), 0);
        await context.setOffline(true);
        await header.getByText(word, { exact: true }).waitFor();
        await screenshot(page, 'sync-offline', lang);
        await context.setOffline(false);
        await header.getByText(word, { exact: true }).waitFor({ state: 'detached' });
      } finally {
        await context.close();
      }
    }
  });

  test('a data-token is taken out of the DOM at mount and never stored', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.route((url) => ['/', '/index.html'].includes(new URL(url).pathname), async (route) => {
        const real = await route.fetch();
        const html = (await real.text()).replace('<body></body>', '<body data-token="s3cret-token-42"></body>');
        return route.fulfill({ response: real, body: html });
      });
      await page.goto(env.server.url + '/');
      await waitForFigures(page.locator('body'), 'en');
      const found = await page.evaluate(() => ({
        attribute: document.body.getAttribute('data-token'),
        html: document.documentElement.outerHTML.includes('s3cret-token-42'),
        local: JSON.stringify({ ...localStorage }).includes('s3cret-token-42'),
        session: JSON.stringify({ ...sessionStorage }).includes('s3cret-token-42'),
        cookie: document.cookie.includes('s3cret-token-42'),
        exported: typeof window.wasmBindings?.set_access_token,
      }));
      assert.deepEqual(
        { attribute: found.attribute, html: found.html, local: found.local, session: found.session, cookie: found.cookie },
        { attribute: null, html: false, local: false, session: false, cookie: false },
      );
      assert.equal(found.exported, 'function', 'set_access_token is exported');
    } finally {
      await context.close();
    }
  });
});
