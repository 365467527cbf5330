// The Dashboard's KPI cards equal the engine's KPI query (crm-lens-query on the demo data), show
// their formulas with numbers, and the page passes axe in both languages and themes.
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

const group = (n) => Math.round(n).toLocaleString('en-US');
const pct = (v) => `${(Math.round(v * 10) / 10).toFixed(1)}%`;

describe('dashboard KPIs', () => {
  const env = useAppAndBrowser();

  test('cards show the last complete month and its previous, as the engine computes them', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      const rows = engine({ kind: 'kpi', period: 'month', periods: 12, churn_inactive_days: 30 }).rows;
      const [previous, chosen] = rows.slice(-3, -1);
      const card = (name) => page.getByRole('article', { name, exact: true });
      await card('Active customers').waitFor();
      assert.equal(await card('Active customers').locator('.crm-kpi-value').textContent(), group(chosen.active_customers.value));
      assert.equal(await card('Active customers').locator('.crm-kpi-previous').textContent(), `Previous: ${group(previous.active_customers.value)}`);
      assert.equal(await card('Churn rate').locator('.crm-kpi-value').textContent(), pct(chosen.churn_rate.value));
      assert.equal(await card('Repeat purchase rate').locator('.crm-kpi-value').textContent(), pct(chosen.repeat_purchase_rate.value));

      // The formula, with the numbers it was computed from.
      const retention = card('Retention rate');
      await retention.getByText('Formula').click();
      const input = (name) => chosen.retention_rate.inputs.find((i) => i.name === name).value;
      assert.equal(
        await retention.locator('.crm-kpi-formula').textContent(),
        `(Active at the end ${group(input('customers_at_end'))} − new ${group(input('new_customers'))}) ÷ active at the start ${group(input('customers_at_start'))} × 100 = ${pct(chosen.retention_rate.value)}`,
      );

      // A different churn threshold changes churn as the engine says.
      await page.getByRole('spinbutton', { name: 'Churned after days without activity' }).fill('60');
      await page.getByRole('spinbutton', { name: 'Churned after days without activity' }).press('Enter');
      const sixty = engine({ kind: 'kpi', period: 'month', periods: 12, churn_inactive_days: 60 }).rows.at(-2);
      await page.waitForFunction(
        (want) => document.querySelector('article[aria-label="Churn rate"] .crm-kpi-value')?.textContent === want,
        pct(sixty.churn_rate.value),
      );
      assertNoErrors(errors, 'kpi cards');
    } finally {
      await context.close();
    }
  });

  for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
    for (const scheme of ['light', 'dark']) {
      test(`${lang} ${scheme}: axe finds nothing serious on the dashboard`, { timeout: TEST_TIMEOUT }, async () => {
        const { context, page, errors } = await openPage(env.browser, { locale });
        try {
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(env.server.url + '/');
          await page.locator('main .crm-kpi-card').first().waitFor();
          await page.locator('main .crm-rfm-grid').waitFor();
          await page.addScriptTag({ path: path.join(E2E_DIR, 'node_modules/axe-core/axe.min.js') });
          const results = await page.evaluate(() => window.axe.run(document.querySelector('.crm-lens')));
          const serious = results.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.html}`);
          assert.deepEqual(serious, []);
          await screenshot(page, `dashboard-${scheme}`, lang);
          assertNoErrors(errors, `${lang} ${scheme}`);
        } finally {
          await context.close();
        }
      });
    }
  }
});
