// Journeys: the funnel equals the engine's funnel query, a drop-off opens its customers, the
// lifecycle table equals the engine's, and axe finds nothing serious in both languages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';

import { E2E_DIR, REPO_ROOT, TEST_TIMEOUT, assertNoErrors, openPage, screenshot, useAppAndBrowser } from './helpers.mjs';

const QUERY_CLI =
  process.env.CRM_LENS_QUERY ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO_ROOT, 'target'), 'debug', 'crm-lens-query');

function engine(spec) {
  const out = execFileSync(
    QUERY_CLI,
    ['run', '--data', path.join(REPO_ROOT, 'public/demo'), '--query', '-', '--compact'],
    { input: JSON.stringify({ v: 1, ...spec }), maxBuffer: 64 << 20 },
  );
  return JSON.parse(out.toString());
}

const STEPS = ['visit', 'product_view', 'cart_add', 'purchase'].map((event) => ({ event }));
const group = (n) => n.toLocaleString('en-US');

async function tableRows(table) {
  return table.evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

describe('journeys page', () => {
  const env = useAppAndBrowser();

  test('funnel and lifecycle equal the engine; a drop-off lists its customers', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/journeys');
      const funnel = engine({ kind: 'funnel', steps: STEPS, window: { days: 14 } });
      const table = page.getByRole('table', { name: 'Funnel' });
      await table.waitFor();
      const rows = await tableRows(table);
      assert.deepEqual(rows.map((r) => r[1]), funnel.steps.map((s) => group(s.customers)));
      // The drop-off count leads the cell (a screen-reader hint follows it).
      assert.deepEqual(rows.map((r) => r[4].match(/^\d{1,3}(,\d{3})*/)[0]), funnel.steps.map((s) => group(s.dropped)));

      // Strict order through the UI.
      await page.getByRole('combobox', { name: 'Order of steps' }).selectOption('strict');
      const strict = engine({ kind: 'funnel', steps: STEPS, window: { days: 14 }, mode: 'strict' });
      await page.waitForFunction(
        (want) => [...document.querySelectorAll('main table')].find((t) => t.caption?.textContent === 'Funnel')
          ?.querySelector('tbody tr:last-child td')?.textContent === want,
        group(strict.steps.at(-1).customers),
      );

      // Who dropped between add to cart and purchase.
      await page.getByRole('button', { name: /Who dropped before “Purchase”/ }).click();
      const dropped = engine({ kind: 'funnel_customers', steps: STEPS, window: { days: 14 }, mode: 'strict', step: 3, dropped: true });
      const panel = page.getByRole('complementary');
      await panel.waitFor();
      assert.match(await panel.locator('h3').textContent(), new RegExp(`: ${group(dropped.count)} customers$`));
      assert.equal(await panel.locator('li').count(), Math.min(50, dropped.count));

      const lifecycle = engine({ kind: 'lifecycle', period: 'week', periods: 12 });
      const lrows = await tableRows(page.getByRole('table', { name: 'Lifecycle' }));
      assert.deepEqual(
        lrows.map((r) => r.slice(1)),
        lifecycle.periods.map((p) => [p.new, p.returning, p.resurrecting, p.dormant].map(group)),
      );
      assertNoErrors(errors, 'journeys');
    } finally {
      await context.close();
    }
  });

  for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
    test(`${lang}: axe finds nothing serious on the journeys page`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale });
      try {
        await page.goto(env.server.url + '/journeys');
        await page.locator('main figure svg').first().waitFor();
        await page.addScriptTag({ path: path.join(E2E_DIR, 'node_modules/axe-core/axe.min.js') });
        const results = await page.evaluate(() => window.axe.run(document.querySelector('.crm-lens')));
        const serious = results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.html}`);
        assert.deepEqual(serious, []);
        await screenshot(page, 'journeys-funnel', lang);
        assertNoErrors(errors, lang);
      } finally {
        await context.close();
      }
    });
  }
});
