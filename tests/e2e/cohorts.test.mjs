// The Cohorts page: options change the table through the URL, the table equals the engine's
// result for the same spec (crm-lens-query on the demo data), cells open their customers,
// exports are Excel-safe, and axe finds nothing serious. Screenshots in both languages and themes.
import assert from 'node:assert/strict';
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
  runQuery,
} from './helpers.mjs';

/** The engine's result for a retention spec on the demo data, through the CLI. */
const engine = (spec) => runQuery({ kind: 'retention', ...spec });

/** The retention table's cells as text, row by row (cohort label, size, cells). */
async function readTable(page, index = 0) {
  const table = page.locator('main table.crm-retention:not(.crm-difference)').nth(index);
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
function assertTableEquals(rows, result, index = 0) {
  const table = result.tables[index];
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

/** The retention spec the page's URL carries (`{}` for the defaults). */
function urlSpec(page) {
  const raw = new URL(page.url()).searchParams.get('spec');
  return raw ? JSON.parse(raw) : {};
}

/** The mean row's shown texts and raw values, or null without a mean row. */
async function readMean(page, index = 0) {
  const table = page.locator('main table.crm-retention:not(.crm-difference)').nth(index);
  return table.evaluate((t) => {
    const row = t.querySelector('tfoot tr');
    if (!row) return null;
    return [...row.querySelectorAll('td')].slice(1).map((td) => ({ text: td.textContent.trim(), value: td.dataset.value ?? null }));
  });
}

/** The raw values behind the cells (data-value), row by row; null for an empty cell. */
async function readValues(page, index = 0) {
  const table = page.locator('main table.crm-retention:not(.crm-difference)').nth(index);
  return table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => (td.dataset.value === undefined ? null : Number(td.dataset.value))),
    ),
  );
}

const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The rule of "bought with `code`", as `engine::promotions::buyers_rule` writes it. */
const buyers = (code) => ({ rule: 'performed', event: { event: 'purchase', where: [{ property: 'coupon', op: 'eq', value: code }] } });
const versus = (label, rule, others = 'Everyone else') => ({ by: 'segments', segments: [{ label, rule }, { label: others, rule: { rule: 'none', rules: [rule] } }] });

/**
 * Per group: the share of cohort members who returned in each column after the first (complete
 * cells pooled over cohorts), averaged over the columns every group has: what the answer says.
 */
function groupAverages(result) {
  const pooled = (table, k) => {
    let num = 0;
    let den = 0;
    for (const row of table.rows) {
      const cell = row.cells[k];
      if (cell && cell.complete && row.size > 0) {
        num += cell.customers;
        den += row.size;
      }
    }
    return den > 0 ? num / den : null;
  };
  const columns = result.columns.map((c, k) => k).filter((k) => result.columns[k].from >= 1 && result.tables.every((t) => pooled(t, k) !== null));
  return result.tables.map((t) => columns.reduce((sum, k) => sum + pooled(t, k), 0) / columns.length);
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

  test('brackets, minimum returns, dates, start filter, mean, revenue and breakdowns through the UI equal the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      let spec = { period: 'month', return: { event: 'purchase' } };
      await page.goto(env.server.url + '/cohorts?spec=' + encodeURIComponent(JSON.stringify(spec)));
      await readTable(page);
      const check = async (what, expected, index = 0) => {
        await eventually(async () => assert.deepEqual(urlSpec(page), expected), { what: `${what} in the URL`, timeout: 10_000 });
        const result = engine(expected);
        await eventually(async () => assertTableEquals(await readTable(page, index), result, index), { what, timeout: 20_000 });
        return result;
      };

      // Custom brackets: one column per bracket, labelled with its range.
      const brackets = page.getByRole('textbox', { name: 'Custom brackets', exact: true });
      await brackets.fill('1-2, 3-5');
      await brackets.press('Enter');
      spec = { ...spec, brackets: [[1, 2], [3, 5]] };
      await check('brackets', spec);
      const heads = await page.locator('main table.crm-retention').first().locator('thead th').allInnerTexts();
      assert.deepEqual(heads.slice(2).map((h) => h.trim()), ['Month 0', 'Months 1–2', 'Months 3–5']);
      // A malformed text is refused with a message and changes nothing.
      await brackets.fill('1-x');
      await brackets.press('Enter');
      await page.getByText('Write brackets as 1-3, 4-7', { exact: false }).waitFor();
      assert.deepEqual(urlSpec(page), spec);
      await brackets.fill('');
      await brackets.press('Enter');
      delete spec.brackets;
      await check('brackets cleared', spec);

      // Minimum returns per period.
      const minimum = page.getByRole('spinbutton', { name: 'Minimum returns per period', exact: true });
      await minimum.fill('2');
      await minimum.press('Enter');
      spec = { ...spec, min_occurrences: 2 };
      await check('minimum occurrences', spec);

      // The date range: the first and last cohort.
      await page.getByLabel('First cohort from', { exact: true }).fill('2026-01-15');
      spec = { ...spec, from: '2026-01-15' };
      let result = await check('first cohort from', spec);
      assert.equal(result.tables[0].rows[0].start, '2026-01-01', 'the cohort containing the date');
      await page.getByLabel('Last cohort up to', { exact: true }).fill('2026-06-30');
      spec = { ...spec, to: '2026-06-30' };
      result = await check('last cohort up to', spec);
      assert.equal(result.tables[0].rows.length, 6);

      // The mean row: weighted (default), simple, none.
      const meanRates = async (expected) => {
        const table = expected.tables[0];
        await eventually(async () => {
          const shown = await readMean(page);
          assert.ok(shown, 'a mean row');
          assert.deepEqual(shown.map((m) => m.text), table.mean.map((m) => (m.rate === null ? '—' : percent(m.rate))));
        }, { what: 'mean row', timeout: 20_000 });
      };
      await meanRates(result);
      const mean = page.getByRole('combobox', { name: 'Mean row', exact: true });
      await mean.selectOption({ label: 'Simple mean' });
      spec = { ...spec, mean: 'simple' };
      result = await check('simple mean', spec);
      await meanRates(result);
      const weighted = engine({ ...spec, mean: 'weighted' });
      assert.notDeepEqual(weighted.tables[0].mean, result.tables[0].mean, 'the two means differ on this data');
      await mean.selectOption({ label: 'None' });
      spec = { ...spec, mean: 'none' };
      await check('no mean', spec);
      await eventually(async () => assert.equal(await readMean(page), null), { what: 'mean row gone', timeout: 10_000 });
      await mean.selectOption({ label: 'Weighted by cohort size' });
      delete spec.mean;
      await check('weighted mean again', spec);

      // A start event with a property filter: first purchases made with a coupon.
      const start = page.getByRole('group', { name: 'Start event' });
      await start.getByRole('combobox', { name: 'Start event', exact: true }).selectOption({ label: 'Purchase' });
      spec = { ...spec, start: { event: 'purchase' } };
      await check('start event', spec);
      await start.getByRole('button', { name: 'Add property filter' }).click();
      await start.getByRole('combobox', { name: 'Property', exact: true }).selectOption('coupon');
      spec = { ...spec, start: { event: 'purchase', where: [{ property: 'coupon', op: 'exists' }] } };
      await check('start filter', spec);
      await start.getByRole('combobox', { name: 'Operator', exact: true }).selectOption('eq');
      await start.getByRole('textbox', { name: 'Value', exact: true }).fill('FLASH50');
      await start.getByRole('textbox', { name: 'Value', exact: true }).press('Enter');
      spec = { ...spec, start: { event: 'purchase', where: [{ property: 'coupon', op: 'eq', value: 'FLASH50' }] } };
      result = await check('start filter value', spec);
      assert.ok(result.tables[0].rows.some((r) => r.size > 0), 'FLASH50 buyers exist');

      // Back to signups; revenue per customer, cell by cell and in the mean row.
      await start.getByRole('combobox', { name: 'Start event', exact: true }).selectOption({ label: 'Sign-up' });
      spec = { period: 'month', return: { event: 'purchase' }, min_occurrences: 2, from: '2026-01-15', to: '2026-06-30' };
      await check('signup again', spec);
      await page.getByRole('combobox', { name: 'Show', exact: true }).selectOption({ label: 'Revenue per customer' });
      await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('show'), 'revenue'), { what: 'show in URL', timeout: 10_000 });
      result = engine(spec);
      await eventually(async () => {
        const values = await readValues(page);
        const table = result.tables[0];
        assert.equal(values.length, table.rows.length);
        table.rows.forEach((row, r) =>
          row.cells.forEach((cell, k) => {
            const shown = values[r][k];
            if (cell === null || cell.value_per_customer === null) assert.equal(shown, null, `row ${r} col ${k}`);
            else assert.ok(close(shown, cell.value_per_customer), `row ${r} col ${k}: ${shown} vs ${cell.value_per_customer}`);
          }),
        );
        const meanShown = await readMean(page);
        table.mean.forEach((m, k) => {
          if (m.value_per_customer === null) assert.equal(meanShown[k].value, null);
          else assert.ok(close(Number(meanShown[k].value), m.value_per_customer), `mean ${k}`);
        });
        assert.match((await readTable(page))[0][3], /₩/, 'money shown with its currency');
      }, { what: 'revenue per customer', timeout: 20_000 });
      await page.getByRole('combobox', { name: 'Show', exact: true }).selectOption({ label: 'Returning customers (%)' });

      // Breakdown by a customer attribute: a table per group, each equal to the engine's.
      const breakdown = page.getByRole('combobox', { name: 'Breakdown', exact: true });
      await breakdown.selectOption({ label: 'channel' });
      spec = { ...spec, breakdown: { by: 'attribute', attribute: 'channel', limit: 6 } };
      result = await check('breakdown by channel', spec);
      assert.ok(result.tables.length >= 3, `groups: ${result.tables.length}`);
      for (let i = 0; i < result.tables.length; i++) {
        assertTableEquals(await readTable(page, i), result, i);
        const caption = await page.locator('main table.crm-retention:not(.crm-difference)').nth(i).locator('caption').textContent();
        assert.ok(caption.endsWith(`Group: ${result.tables[i].label}`), caption);
      }
      await page.getByRole('heading', { name: 'The answer' }).waitFor();

      // Breakdown by segment: a template against everyone else (kept in the URL).
      await breakdown.selectOption({ label: 'Discount hunters (buy only with a coupon) vs everyone else' });
      await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('versus'), 'discount_hunters'), { what: 'versus in URL', timeout: 10_000 });
      delete spec.breakdown;
      const hunters = {
        rule: 'all',
        rules: [
          { rule: 'performed', event: { event: 'purchase', where: [{ property: 'coupon', op: 'exists' }] } },
          { rule: 'not_performed', event: { event: 'purchase', where: [{ property: 'coupon', op: 'not_exists' }] } },
        ],
      };
      result = engine({ ...spec, breakdown: versus('Discount hunters (buy only with a coupon)', hunters) });
      assert.equal(result.tables.length, 2);
      await eventually(async () => {
        assert.deepEqual(urlSpec(page), spec, 'the attribute breakdown is replaced');
        assertTableEquals(await readTable(page, 0), result, 0);
        assertTableEquals(await readTable(page, 1), result, 1);
      }, { what: 'segment breakdown', timeout: 20_000 });

      // Breakdown by the buyers of a coupon, with the answer in one sentence.
      await breakdown.selectOption('vs:coupon:FLASH50');
      result = engine({ ...spec, breakdown: versus('Bought with FLASH50', buyers('FLASH50')) });
      await eventually(async () => {
        assert.equal(new URL(page.url()).searchParams.get('versus'), 'coupon:FLASH50');
        assertTableEquals(await readTable(page, 0), result, 0);
        assertTableEquals(await readTable(page, 1), result, 1);
      }, { what: 'coupon breakdown', timeout: 20_000 });
      const [promo, rest] = groupAverages(result);
      const answer = await page.locator('.crm-answer-sentence').textContent();
      assert.ok(answer.includes(`On average ${percent(promo)} of them`), answer);
      assert.ok(answer.includes(`against ${percent(rest)} of “Everyone else”`), answer);
      assert.ok(answer.startsWith(promo < rest ? 'No: “Bought with FLASH50” come back less often' : 'Yes'), answer);

      // The segment filter: only members of a template.
      await page.getByRole('combobox', { name: 'Only customers in', exact: true }).selectOption({ label: 'VIP: revenue ≥ ₩1,000,000 in 12 months' });
      await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('filter'), 'vip_revenue'), { what: 'filter in URL', timeout: 10_000 });
      const vip = { rule: 'aggregate', event: { event: 'purchase' }, aggregate: 'sum', op: 'gte', value: 1000000, window: { last_days: 365 } };
      result = engine({ ...spec, filter: vip, breakdown: versus('Bought with FLASH50', buyers('FLASH50')) });
      await eventually(async () => {
        assertTableEquals(await readTable(page, 0), result, 0);
        assertTableEquals(await readTable(page, 1), result, 1);
      }, { what: 'segment filter', timeout: 20_000 });

      // Everything survives a reload.
      await page.reload();
      await eventually(async () => assertTableEquals(await readTable(page, 1), result, 1), { what: 'after reload', timeout: 60_000 });
      assertNoErrors(errors, 'every option');
    } finally {
      await context.close();
    }
  });

  test('the last promotion is one click away and the answer is a sentence (en and ko)', { timeout: TEST_TIMEOUT }, async () => {
    for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
      const { context, page, errors } = await openPage(env.browser, { locale });
      try {
        await page.goto(env.server.url + '/cohorts');
        await readTable(page);
        const preset = page.getByRole('button', { name: lang === 'en' ? /^Customers from the last promotion \((\w+)\) vs everyone else$/ : /^지난 프로모션\((\w+)\)으로 온 고객 vs 나머지$/ });
        const code = (await preset.textContent()).match(/\(([A-Z0-9_]+)\)/)[1];
        assert.equal(code, 'FLASH50', 'the demo’s last promotion that brought new customers');
        await preset.click();
        await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('versus'), `coupon:${code}`), { what: 'preset in URL', timeout: 10_000 });
        assert.equal(await preset.getAttribute('aria-pressed'), 'true');
        const spec = { period: 'month', return: { event: 'purchase' } };
        const label = lang === 'en' ? `Bought with ${code}` : `${code} 쿠폰 구매 고객`;
        const result = engine({ ...spec, breakdown: versus(label, buyers(code), lang === 'en' ? 'Everyone else' : '나머지 고객') });
        await eventually(async () => assertTableEquals(await readTable(page, 0), result, 0), { what: 'promotion table', timeout: 20_000 });
        const [promo, rest] = groupAverages(result);
        const answer = page.getByRole('region', { name: lang === 'en' ? 'The answer' : '답' });
        const sentence = await answer.textContent();
        assert.ok(sentence.includes(percent(promo)) && sentence.includes(percent(rest)), sentence);
        assert.ok(sentence.includes(label), sentence);
        // The demo's story: the discount cohort rarely comes back.
        assert.ok(promo < rest, `${promo} < ${rest}`);
        assert.ok(sentence.startsWith(lang === 'en' ? 'The answerNo: ' : '답아니요: '), sentence);
        await screenshot(page, 'cohorts-promotion', lang);
        assertNoErrors(errors, `promotion ${lang}`);
      } finally {
        await context.close();
      }
    }
  });

  test('24 monthly cohorts × 24 periods stay readable; the chart exports as SVG in the current language', { timeout: TEST_TIMEOUT }, async () => {
    for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
      const { context, page, errors } = await openPage(env.browser, { locale });
      try {
        const spec = { period: 'month', periods: 24, cohorts: 24, return: { event: 'purchase' } };
        await page.goto(env.server.url + '/cohorts?spec=' + encodeURIComponent(JSON.stringify(spec)));
        assertTableEquals(await readTable(page), engine(spec));
        // The page never scrolls sideways: the table scrolls in its own region, the cohort column stays.
        const layout = await page.evaluate(() => {
          const wrap = document.querySelector('main .crm-retention-wrap');
          const th = wrap.querySelector('tbody th');
          wrap.scrollLeft = 400;
          const before = th.getBoundingClientRect().left;
          return { page: document.documentElement.scrollWidth - window.innerWidth, wrap: wrap.scrollWidth - wrap.clientWidth, sticky: Math.abs(before - wrap.getBoundingClientRect().left) < 3 };
        });
        assert.ok(layout.page <= 0, `the page overflows by ${layout.page}px`);
        assert.ok(layout.sticky, 'the cohort column stays in view when the table scrolls');
        await screenshot(page, 'cohorts-24x24', lang);

        // The chart: title and axis labels in the current language, a text alternative, exports.
        const figure = page.locator('main figure[role="img"]').first();
        const svgText = await figure.locator('svg').textContent();
        const words = lang === 'en' ? ['Retention curves', 'Periods since start', 'Returning customers'] : ['리텐션 곡선', '시작 이후 기간', '재방문 고객 비율'];
        for (const w of words) assert.ok(svgText.includes(w), `${w} in the chart`);
        assert.match(await figure.getAttribute('aria-label'), lang === 'en' ? /^Retention curves/ : /^리텐션 곡선/);
        const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: lang === 'en' ? 'Download SVG' : 'SVG 다운로드' }).click()]);
        const svgFile = await readFile(await svg.path(), 'utf8');
        assert.match(svgFile, /^<svg[^>]*viewBox/);
        assert.ok(svgFile.includes(words[0]));
        const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: lang === 'en' ? 'Download PNG' : 'PNG 다운로드' }).click()]);
        const pngFile = await readFile(await png.path());
        assert.equal(pngFile.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
        assert.ok(pngFile.length > 5_000, `a drawn chart, not an empty image (${pngFile.length} bytes)`);
        // The revenue chart: cumulative revenue per customer, titled as such.
        const params = new URLSearchParams({ spec: JSON.stringify(spec), show: 'cumulative' });
        await page.goto(`${env.server.url}/cohorts?${params}`);
        const revenueTitle = lang === 'en' ? 'Cumulative revenue per customer by cohort' : '코호트별 고객당 누적 매출';
        await eventually(async () => assert.ok((await page.locator('main figure[role="img"] svg').first().textContent()).includes(revenueTitle)), { what: 'revenue chart', timeout: 20_000 });
        assertNoErrors(errors, `24x24 ${lang}`);
      } finally {
        await context.close();
      }
    }
  });

  test('a cell saved as a segment has the cell’s count, and is offered as a filter and a breakdown', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const spec = { period: 'month', return: { event: 'purchase' } };
      await page.goto(env.server.url + '/cohorts?spec=' + encodeURIComponent(JSON.stringify(spec)));
      const result = engine(spec);
      const table = result.tables[0];
      const r = table.rows.findIndex((row) => row.cells[2]?.complete && row.cells[2].customers > 1);
      const cell = table.rows[r].cells[2];
      await page.locator('main table.crm-retention tbody tr').nth(r).locator('button.crm-cell-button').nth(2).click();
      const panel = page.getByRole('complementary', { name: 'Behind this cell' });
      await panel.getByRole('button', { name: `Save as segment (${cell.customers.toLocaleString('en-US')} customers)` }).click();
      const name = panel.getByRole('textbox', { name: 'Segment name' });
      assert.match(await name.inputValue(), /^Cohort cell: /, 'a proposed name');
      await name.fill('E2E cohort cell');
      await panel.getByRole('button', { name: 'Save segment' }).click();
      await panel.getByText(`Saved segment “E2E cohort cell” with ${cell.customers.toLocaleString('en-US')} customers.`).waitFor();

      // The saved rule, from this browser's storage, counted by the engine: the cell's count.
      const saved = await page.evaluate(() => {
        const found = [];
        for (let i = 0; i < localStorage.length; i++) {
          const key = localStorage.key(i);
          if (!key.startsWith('crm-lens:saved:')) continue;
          const walk = (v) => {
            if (Array.isArray(v)) v.forEach(walk);
            else if (v && typeof v === 'object') {
              if (v.name === 'E2E cohort cell' && v.definition) found.push({ id: v.id, rule: v.definition });
              else Object.values(v).forEach(walk);
            }
          };
          try { walk(JSON.parse(localStorage.getItem(key))); } catch { /* not ours */ }
        }
        return found;
      });
      assert.equal(saved.length, 1, 'one saved segment with that name');
      const { id, rule } = saved[0];
      const counted = runQuery({ kind: 'segment', rule, include_members: true });
      assert.equal(counted.count, cell.customers, 'the segment’s count equals the cell');

      // Offered at once as a filter: the cell's cohort is then exactly the cell, 100 % in its column.
      await page.getByRole('combobox', { name: 'Only customers in', exact: true }).selectOption({ label: 'E2E cohort cell' });
      await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('filter'), `saved:${id}`), { what: 'saved filter in URL', timeout: 10_000 });
      const filtered = engine({ ...spec, filter: rule });
      await eventually(async () => assertTableEquals(await readTable(page), filtered), { what: 'saved filter', timeout: 20_000 });
      assert.equal(filtered.tables[0].rows[r].size, cell.customers);
      assert.equal(filtered.tables[0].rows[r].cells[2].rate, 1);

      // And as a breakdown against everyone else.
      await page.getByRole('combobox', { name: 'Only customers in', exact: true }).selectOption({ label: 'All customers' });
      await page.getByRole('combobox', { name: 'Breakdown', exact: true }).selectOption({ label: 'E2E cohort cell vs everyone else' });
      await eventually(async () => assert.equal(new URL(page.url()).searchParams.get('versus'), `saved:${id}`), { what: 'saved breakdown in URL', timeout: 10_000 });
      const split = engine({ ...spec, breakdown: versus('E2E cohort cell', rule) });
      await eventually(async () => {
        assertTableEquals(await readTable(page, 0), split, 0);
        assertTableEquals(await readTable(page, 1), split, 1);
      }, { what: 'saved breakdown', timeout: 20_000 });
      // A reload keeps it (the saved list is read again from this browser).
      await page.reload();
      await eventually(async () => assertTableEquals(await readTable(page, 1), split, 1), { what: 'saved breakdown after reload', timeout: 60_000 });
      assertNoErrors(errors, 'save as segment');
    } finally {
      await context.close();
    }
  });
});
