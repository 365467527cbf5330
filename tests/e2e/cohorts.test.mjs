// The Cohorts page: options change the table through the URL, the table equals the engine's
// result for the same spec (crm-lens-query on the demo data), cells open their customers,
// exports are Excel-safe, and axe finds nothing serious. Screenshots in both languages and themes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  E2E_DIR,
  REPO_ROOT,
  TEST_TIMEOUT,
  assertNoErrors,
  eventually,
  openPage,
  screenshot,
  useAppAndBrowser,
} from './helpers.mjs';

const QUERY_CLI =
  process.env.CRM_LENS_QUERY ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO_ROOT, 'target'), 'debug', 'crm-lens-query');

/** The engine's result for a retention spec on the demo data, through the CLI. */
function engine(spec) {
  const out = execFileSync(
    QUERY_CLI,
    ['run', '--data', path.join(REPO_ROOT, 'public/demo'), '--query', '-', '--compact'],
    { input: JSON.stringify({ v: 1, kind: 'retention', ...spec }), maxBuffer: 64 << 20 },
  );
  return JSON.parse(out.toString());
}

/** The retention table's cells as text, row by row (cohort label, size, cells). */
async function readTable(page) {
  const table = page.locator('main table.crm-retention').first();
  await table.waitFor();
  return table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((cell) => {
        // What a sighted reader sees: without screen-reader-only text and the incomplete mark.
        const copy = cell.cloneNode(true);
        copy.querySelectorAll('.crm-visually-hidden, [aria-hidden="true"]').forEach((e) => e.remove());
        return copy.textContent.trim();
      }),
    ),
  );
}

const percent = (rate) => `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;

/** Compares the page's table with the engine's rates, cell by cell. */
function assertTableEquals(rows, result) {
  const table = result.tables[0];
  assert.equal(rows.length, table.rows.length, 'one row per cohort');
  table.rows.forEach((row, r) => {
    assert.equal(Number(rows[r][1].replace(/,/g, '')), row.size, `row ${r} size`);
    row.cells.forEach((cell, k) => {
      const shown = rows[r][2 + k];
      if (cell === null) assert.equal(shown, '', `row ${r} column ${k} has not started`);
      else if (cell.rate === null) assert.equal(shown, '—');
      else assert.equal(shown, percent(cell.rate), `row ${r} column ${k}`);
    });
  });
}

async function axeViolations(page) {
  await page.addScriptTag({ path: path.join(E2E_DIR, 'node_modules/axe-core/axe.min.js') });
  const results = await page.evaluate(() => window.axe.run(document.querySelector('.crm-lens') ?? document));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.html}`);
}

describe('cohorts page', () => {
  const env = useAppAndBrowser();

  test('the default table equals the engine, options change it through the URL', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/cohorts');
      assertTableEquals(await readTable(page), engine({}));

      // Each option through its control: the URL records it, the table follows the engine.
      const steps = [
        ['Period', 'Month', { period: 'month' }],
        ['Count returns', 'On or after', { period: 'month', counting: 'on_or_after' }],
        ['Cohort type', 'Recurring (every period)', { period: 'month', counting: 'on_or_after', cohort: 'recurring' }],
        ['Windows', 'Rolling 24-hour windows', { period: 'month', counting: 'on_or_after', cohort: 'recurring', windows: 'rolling' }],
        ['Percent of', 'Previous period', { period: 'month', counting: 'on_or_after', cohort: 'recurring', windows: 'rolling', percent_of: 'previous' }],
      ];
      for (const [label, option, spec] of steps) {
        await page.getByRole('combobox', { name: label, exact: true }).selectOption({ label: option });
        await eventually(async () => assert.match(decodeURIComponent(page.url()), new RegExp(`"${Object.keys(spec).at(-1)}"`)), { what: `${label} in the URL`, timeout: 10_000 });
        await eventually(async () => assertTableEquals(await readTable(page), engine(spec)), { what: label, timeout: 20_000 });
      }
      // The return event, and a number input.
      await page.getByRole('combobox', { name: 'Return event', exact: true }).selectOption({ label: 'Purchase' });
      await page.getByRole('spinbutton', { name: 'Periods', exact: true }).fill('6');
      await page.getByRole('spinbutton', { name: 'Periods', exact: true }).press('Enter');
      const spec = { period: 'month', counting: 'on_or_after', cohort: 'recurring', windows: 'rolling', percent_of: 'previous', return: { event: 'purchase' }, periods: 6 };
      await eventually(async () => assertTableEquals(await readTable(page), engine(spec)), { what: 'return event and periods', timeout: 20_000 });

      // A reload restores the same view from the URL.
      await page.reload();
      await eventually(async () => assertTableEquals(await readTable(page), engine(spec)), { what: 'after reload', timeout: 60_000 });
      assert.equal(await page.getByRole('combobox', { name: 'Period', exact: true }).inputValue(), 'month');
      assertNoErrors(errors, 'cohort options');
    } finally {
      await context.close();
    }
  });

  test('a cell opens the customers behind it; exports are Excel-safe', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/cohorts?spec=' + encodeURIComponent(JSON.stringify({ period: 'month', return: { event: 'purchase' } })));
      const result = engine({ period: 'month', return: { event: 'purchase' } });
      const table = result.tables[0];
      // The first cohort with a non-empty, complete week-2 cell.
      const r = table.rows.findIndex((row) => row.cells[2]?.complete && row.cells[2].customers > 0);
      const cell = table.rows[r].cells[2];
      await page.locator('main table.crm-retention tbody tr').nth(r).locator('button.crm-cell-button').nth(2).click();
      const panel = page.getByRole('complementary', { name: 'Behind this cell' });
      await panel.waitFor();
      const sentence = await panel.locator('.crm-explain-sentence').textContent();
      assert.match(sentence, new RegExp(`^${cell.customers.toLocaleString('en-US')} of the ${table.rows[r].size.toLocaleString('en-US')} customers`));
      const listed = await panel.locator('tbody tr').count();
      assert.equal(listed, Math.min(cell.customers, 100));

      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download CSV' }).click()]);
      const csv = await readFile(await download.path(), 'utf8');
      assert.ok(csv.startsWith('\ufeffCustomer ID,Name,Email'), 'BOM and header');
      assert.equal(csv.trim().split('\r\n').length, cell.customers + 1, 'one line per customer');

      const [tableCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).first().click()]);
      const text = await readFile(await tableCsv.path(), 'utf8');
      assert.ok(text.startsWith('\ufeffBreakdown,Cohort,Customers,Month 0'), text.slice(0, 60));
      assert.equal(text.trim().split('\r\n').length, table.rows.length + 1);
      const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download SVG' }).click()]);
      assert.match(await readFile(await svg.path(), 'utf8'), /^<svg[^>]*viewBox/);
      assertNoErrors(errors, 'cell and exports');
    } finally {
      await context.close();
    }
  });

  for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
    for (const scheme of ['light', 'dark']) {
      test(`${lang} ${scheme}: comparison and breakdown render, axe finds nothing serious`, { timeout: TEST_TIMEOUT }, async () => {
        const { context, page, errors } = await openPage(env.browser, { locale });
        try {
          await page.emulateMedia({ colorScheme: scheme });
          const spec = { period: 'month', return: { event: 'purchase' }, breakdown: { by: 'attribute', attribute: 'channel', limit: 3 } };
          await page.goto(`${env.server.url}/cohorts?compare=counting&spec=${encodeURIComponent(JSON.stringify(spec))}`);
          await page.locator('main table.crm-retention').first().waitFor();
          const tables = await page.locator('main table.crm-retention').count();
          assert.ok(tables >= 4, `one table per group plus the difference (${tables})`);
          await page.locator('main figure[role="img"] svg').first().waitFor();
          assert.deepEqual(await axeViolations(page), []);
          await screenshot(page, `cohorts-compare-${scheme}`, lang);
          assertNoErrors(errors, `${lang} ${scheme}`);
        } finally {
          await context.close();
        }
      });
    }
  }
});
