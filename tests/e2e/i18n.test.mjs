// Languages: the default follows the browser (ko-KR → Korean, en-US → English), and the
// "Language" select switches nav, headings and figures, both ways.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  LANGUAGE_OPTION,
  PAGES,
  TEST_TIMEOUT,
  assertNoErrors,
  checkPage,
  expectLanguageSelect,
  languageSelect,
  openPage,
  screenshot,
  useAppAndBrowser,
} from './helpers.mjs';

describe('languages', () => {
  const env = useAppAndBrowser();

  test('a ko-KR browser gets Korean on every page', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'ko-KR' });
    try {
      await page.goto(env.server.url + '/');
      const body = page.locator('body');
      await checkPage(body, { key: 'dashboard', lang: 'ko' });
      await expectLanguageSelect(body, 'ko');
      await screenshot(page, 'dashboard', 'ko');
      for (const p of PAGES.slice(1)) {
        await page.getByRole('navigation').getByRole('link', { name: p.ko, exact: true }).click();
        await page.waitForURL((url) => url.pathname === p.path);
        await checkPage(body, { key: p.key, lang: 'ko' });
        await screenshot(page, p.key, 'ko');
      }
      assertNoErrors(errors, 'Korean pages');
    } finally {
      await context.close();
    }
  });

  test('an en-US browser gets English', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      await checkPage(page.locator('body'), { key: 'dashboard', lang: 'en' });
      await expectLanguageSelect(page.locator('body'), 'en');
      assertNoErrors(errors, 'English dashboard');
    } finally {
      await context.close();
    }
  });

  test('the Language select switches to Korean and back', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const body = page.locator('body');
      for (const key of ['dashboard', 'segments']) {
        await page.goto(env.server.url + PAGES.find((p) => p.key === key).path);
        await checkPage(body, { key, lang: 'en' });
        await languageSelect(body).selectOption({ label: LANGUAGE_OPTION.ko });
        await checkPage(body, { key, lang: 'ko' });
        await expectLanguageSelect(body, 'ko');
        await languageSelect(body).selectOption({ label: LANGUAGE_OPTION.en });
        await checkPage(body, { key, lang: 'en' });
        await expectLanguageSelect(body, 'en');
        assert.equal(new URL(page.url()).pathname, PAGES.find((p) => p.key === key).path, 'switching language keeps the page');
      }
      assertNoErrors(errors, 'language switch');
    } finally {
      await context.close();
    }
  });
});
