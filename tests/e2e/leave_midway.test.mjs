// Leaving a page midway: start something that finishes later (a debounced count, a backtest, a
// customer list, a save, a recomputed table) and leave at once through the app's navigation.
// Timers and async work that outlive their view must then do nothing: no panic ("panicked",
// "already been disposed"), no uncaught error, and the page we went to renders.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';

import { TEST_TIMEOUT, eventually, expectHeading, openPage, useAppAndBrowser } from './helpers.mjs';

const label = (page, name) => page.getByLabel(name, { exact: true });
const nav = (page, name) => page.getByRole('navigation').getByRole('link', { name, exact: true });

/** Leaves through the nav link `to` (its page's h1 is the same text), then checks the app lives. */
async function leaveAndCheck(page, errors, to, where) {
  await nav(page, to).click();
  // Timers and saves left behind fire now (the debounces wait 25 ms, the backtest 30 ms).
  await sleep(800);
  const shown = await expectHeading(page, to, { timeout: 30_000 }).then(() => true, (err) => err);
  // A panic is the likely reason for a blank page: report it first.
  assert.deepEqual(errors, [], `${where}: console errors or uncaught exceptions`);
  if (shown !== true) throw shown;
  // Still a working app: one more page change renders too.
  await nav(page, 'Settings').click();
  await expectHeading(page, 'Settings', { timeout: 30_000 });
  assert.ok(!errors.some((e) => /panicked|disposed/.test(e)), `${where}: ${errors.join('\n')}`);
}

async function segmentsReady(page, url) {
  await page.goto(`${url}/segments`);
  await page.getByTestId('segment-count').waitFor({ timeout: 120_000 });
  await eventually(async () => assert.match(await page.getByTestId('segment-count').textContent(), /\d/), { what: 'the first count' });
}

async function backtestReady(page, url) {
  await page.goto(`${url}/journeys/designer?template=signup_coupon`);
  await page.getByRole('button', { name: 'Run backtest' }).waitFor({ timeout: 120_000 });
}

describe('leaving a page while something is still running', () => {
  const env = useAppAndBrowser();

  const run = (name, body) =>
    test(name, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
      try {
        await body(page, errors);
      } finally {
        await context.close();
      }
    });

  run('typing in the segment builder, then leaving within 50 ms', async (page, errors) => {
    await segmentsReady(page, env.server.url);
    await page.getByRole('button', { name: 'Start from scratch', exact: true }).click();
    await label(page, 'Add rule: Whole segment').click();
    await label(page, 'Event: Rule 1').selectOption('visit');
    await label(page, 'When: Rule 1').selectOption('last_days');
    await sleep(300);
    // Type and leave in one go, well inside the debounce.
    await page.evaluate(() => {
      const days = [...document.querySelectorAll('input')].find((i) => i.getAttribute('aria-label')?.startsWith('When (Days): Rule 1')
        || (i.labels && [...i.labels].some((l) => l.textContent.trim() === 'When (Days): Rule 1')));
      days.value = '21';
      days.dispatchEvent(new Event('input', { bubbles: true }));
      days.dispatchEvent(new Event('change', { bubbles: true }));
      [...document.querySelectorAll('nav a')].find((a) => a.textContent.trim() === 'Dashboard').click();
    });
    await sleep(800);
    const shown = await expectHeading(page, 'Dashboard', { timeout: 30_000 }).then(() => true, (err) => err);
    assert.deepEqual(errors, [], 'segment builder: console errors or uncaught exceptions');
    if (shown !== true) throw shown;
    await leaveAndCheck(page, errors, 'Cohorts', 'segment builder');
  });

  run('editing the journey designer, then leaving at once', async (page, errors) => {
    await backtestReady(page, env.server.url);
    await page.locator('#jd-name').fill('Leaving midway');
    await leaveAndCheck(page, errors, 'Segments', 'journey designer');
  });

  run('pressing "Run backtest", then leaving at once', async (page, errors) => {
    await backtestReady(page, env.server.url);
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await leaveAndCheck(page, errors, 'Dashboard', 'backtest');
  });

  run('opening a customer list of the backtest, then leaving at once', async (page, errors) => {
    await backtestReady(page, env.server.url);
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const count = page.locator('dl.crm-bt-summary button').first();
    await count.waitFor({ timeout: 240_000 });
    await count.click();
    await leaveAndCheck(page, errors, 'Customers', 'backtest customer list');
  });

  run('saving a segment, then leaving before the save is shown', async (page, errors) => {
    await segmentsReady(page, env.server.url);
    await page.getByRole('button', { name: /^Use template: / }).first().click();
    await label(page, 'Name').fill('Left midway');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await leaveAndCheck(page, errors, 'Journeys', 'segment save');
  });

  run('changing a cohort option, then leaving at once', async (page, errors) => {
    await page.goto(`${env.server.url}/cohorts`);
    const period = page.getByRole('combobox', { name: 'Period', exact: true });
    await period.waitFor({ timeout: 120_000 });
    await period.selectOption('month');
    await leaveAndCheck(page, errors, 'Segments', 'cohorts');
  });

  run('editing the dashboard’s RFM segments, then leaving at once', async (page, errors) => {
    await page.goto(`${env.server.url}/`);
    await page.locator('main table.crm-rfm-grid').waitFor({ timeout: 120_000 });
    await page.getByText('Edit segment names, ranges and cut points', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Name of segment 1', exact: true }).fill('VIP');
    await page.getByRole('textbox', { name: 'Name of segment 1', exact: true }).press('Enter');
    await page.getByRole('spinbutton', { name: 'VIP: lowest R' }).fill('4');
    await page.getByRole('spinbutton', { name: 'VIP: lowest R' }).press('Enter');
    await leaveAndCheck(page, errors, 'Cohorts', 'RFM editor');
  });
});
