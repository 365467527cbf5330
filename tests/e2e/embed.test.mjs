// The app embedded in a host page: /embed/ (public/embed/index.html) has its own
// <header id="host-header">, a link <a id="host-link" href="/index-host-other.html"> and the
// mount point <div id="crm-lens" data-base-path="/embed" data-locale="en">.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  TEST_TIMEOUT,
  assertNoErrors,
  checkPage,
  eventually,
  markWindow,
  openPage,
  screenshot,
  windowMarked,
  useAppAndBrowser,
} from './helpers.mjs';

// Computed styles of the host's header that the app's CSS must not change.
const HOST_STYLE_PROPS = [
  'font-family', 'font-size', 'color', 'background-color',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
];

const hostHeaderStyle = (page) =>
  page.locator('#host-header').evaluate((el, props) => {
    const style = getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
  }, HOST_STYLE_PROPS);

describe('embedded in a host page (/embed/)', () => {
  const env = useAppAndBrowser();

  test('mounts inside #crm-lens and leaves the host header as it was', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      // Hold the app's .wasm until the host page's own look has been recorded.
      let wasmSeen = false;
      let release;
      const gate = new Promise((resolve) => (release = resolve));
      await page.route(
        (url) => url.pathname.endsWith('.wasm'),
        async (route) => {
          wasmSeen = true;
          await gate;
          await route.continue();
        },
      );
      await page.goto(env.server.url + '/embed/', { waitUntil: 'commit' });
      await eventually(() => assert.ok(wasmSeen, 'the app requested its .wasm'), { timeout: 60_000, what: 'app start' });
      // Parsed, with the stylesheets in <head> applied (the app's module script waits for them).
      await page.waitForFunction(() => document.readyState !== 'loading');
      const beforeMount = await hostHeaderStyle(page);
      assert.equal(await page.locator('#crm-lens nav').count(), 0, 'the app mounted before its .wasm was loaded?');
      release();

      const app = page.locator('#crm-lens');
      await checkPage(app, { key: 'dashboard', lang: 'en', header: false });
      const afterMount = await hostHeaderStyle(page);
      assert.deepEqual(afterMount, beforeMount, 'the host header changed when the app mounted');
      await screenshot(page, 'embed-dashboard', 'en');
      assertNoErrors(errors, '/embed/');

      // Also against the host page with none of the app's code or root-level stylesheets at all,
      // which catches app CSS that the host page links statically.
      const bare = await openPage(env.browser, { locale: 'en-US' });
      try {
        await bare.page.route('**/*', (route) => {
          const request = route.request();
          const { pathname } = new URL(request.url());
          const type = request.resourceType();
          const appAsset =
            ['script', 'fetch', 'xhr'].includes(type) ||
            pathname.endsWith('.wasm') ||
            (type === 'stylesheet' && !pathname.startsWith('/embed/'));
          return appAsset ? route.abort() : route.continue();
        });
        await bare.page.goto(env.server.url + '/embed/');
        assert.equal(await bare.page.locator('#crm-lens nav').count(), 0, 'app blocked in the bare host page');
        assert.deepEqual(afterMount, await hostHeaderStyle(bare.page), 'the host header differs from the host page without the app');
      } finally {
        await bare.context.close();
      }
    } finally {
      await context.close();
    }
  });

  test('navigating inside the app stays under /embed/ without a page load', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/embed/');
      const app = page.locator('#crm-lens');
      await checkPage(app, { key: 'dashboard', lang: 'en', header: false });
      await markWindow(page);
      await app.getByRole('navigation').getByRole('link', { name: 'Segments', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/embed/segments');
      await checkPage(app, { key: 'segments', lang: 'en', header: false });
      assert.ok(await windowMarked(page), 'clicking Segments reloaded the page');
      assert.equal(await page.locator('#host-header').count(), 1, 'the host header is still there');
      await screenshot(page, 'embed-segments', 'en');
      assertNoErrors(errors, '/embed/segments');
    } finally {
      await context.close();
    }
  });

  test('deep link /embed/cohorts opens Cohorts in the host page', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/embed/cohorts');
      await checkPage(page.locator('#crm-lens'), { key: 'cohorts', lang: 'en', header: false });
      assert.equal(await page.locator('#host-header').count(), 1, 'the host header is there');
      assertNoErrors(errors, '/embed/cohorts');
    } finally {
      await context.close();
    }
  });

  test('data-locale="en" wins over a Korean browser', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'ko-KR' });
    try {
      await page.goto(env.server.url + '/embed/');
      await checkPage(page.locator('#crm-lens'), { key: 'dashboard', lang: 'en', header: false });
      assertNoErrors(errors, '/embed/ (ko-KR browser)');
    } finally {
      await context.close();
    }
  });

  test('the host link is a real page load, not caught by the app router', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/embed/');
      await checkPage(page.locator('#crm-lens'), { key: 'dashboard', lang: 'en', header: false });
      // Whatever the other page is (it may not exist), only errors before leaving count.
      assertNoErrors(errors, '/embed/');
      await markWindow(page);
      await page.locator('#host-link').click();
      await page.waitForURL((url) => url.pathname === '/index-host-other.html', { waitUntil: 'commit' });
      await page.waitForLoadState('domcontentloaded');
      assert.equal(await windowMarked(page), false, 'the host link did not load a new document');
    } finally {
      await context.close();
    }
  });
});
