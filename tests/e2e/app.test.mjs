// The standalone app at / in English: every route, in-app navigation, deep links.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  PAGES,
  TEST_TIMEOUT,
  assertNoErrors,
  checkPage,
  expectLanguageSelect,
  markWindow,
  openPage,
  screenshot,
  windowMarked,
  useAppAndBrowser,
} from './helpers.mjs';

describe('standalone app (en-US browser)', () => {
  const env = useAppAndBrowser();

  for (const p of PAGES) {
    test(`${p.path} opened directly shows ${p.en}`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
      try {
        await page.goto(env.server.url + p.path);
        await checkPage(page.locator('body'), { key: p.key, lang: 'en' });
        await expectLanguageSelect(page.locator('body'), 'en');
        await screenshot(page, p.key, 'en');
        assertNoErrors(errors, p.path);
      } finally {
        await context.close();
      }
    });
  }

  test('nav links change pages in place, without a page load', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      const body = page.locator('body');
      await checkPage(body, { key: 'dashboard', lang: 'en' });
      await markWindow(page);
      // Every page, then back to the Dashboard.
      for (const p of [...PAGES.slice(1), PAGES[0]]) {
        await page.getByRole('navigation').getByRole('link', { name: p.en, exact: true }).click();
        await page.waitForURL((url) => url.pathname === p.path);
        await checkPage(body, { key: p.key, lang: 'en' });
        assert.ok(await windowMarked(page), `going to ${p.path} reloaded the page`);
      }
      assertNoErrors(errors, 'navigation');
    } finally {
      await context.close();
    }
  });

  test('deep link /cohorts survives a reload', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/cohorts');
      await checkPage(page.locator('body'), { key: 'cohorts', lang: 'en' });
      await page.reload();
      assert.equal(new URL(page.url()).pathname, '/cohorts');
      await checkPage(page.locator('body'), { key: 'cohorts', lang: 'en' });
      assertNoErrors(errors, '/cohorts');
    } finally {
      await context.close();
    }
  });
});
