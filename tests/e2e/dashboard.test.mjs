// The Dashboard's KPI cards equal the engine's KPI query (crm-lens-query on the demo data), show
// their formulas with numbers, and the page passes axe in both languages and themes.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';

import { E2E_DIR, REPO_ROOT, TEST_TIMEOUT, assertNoErrors, eventually, openPage, screenshot, useAppAndBrowser, runQuery } from './helpers.mjs';


const engine = runQuery;

const DEFAULT_SEGMENTS = [
  { name: 'champions', r: [5, 5], f: [4, 5] }, { name: 'loyal', r: [3, 4], f: [4, 5] },
  { name: 'potential loyalists', r: [4, 5], f: [2, 3] }, { name: 'new', r: [5, 5], f: [1, 1] },
  { name: 'promising', r: [4, 4], f: [1, 1] }, { name: 'need attention', r: [3, 3], f: [3, 3] },
  { name: 'about to sleep', r: [3, 3], f: [1, 2] }, { name: 'at risk', r: [1, 2], f: [3, 4] },
  { name: "can't lose", r: [1, 2], f: [5, 5] }, { name: 'hibernating', r: [1, 2], f: [1, 2] },
];
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

      // The trend chart marks the running month and says how far it runs; its customer axis
      // groups thousands.
      const trend = page.getByRole('figure').filter({ hasText: 'Monthly revenue and active customers' });
      await trend.locator('svg text').first().waitFor();
      const labels = (await trend.locator('svg text').allTextContents()).map((l) => l.trim());
      assert.equal(labels.filter((l) => l.endsWith('*')).length, 1, `one running month in ${labels}`);
      assert.ok(labels.includes('1,000'), `grouped customer ticks in ${labels}`);
      assert.match(await trend.locator('.crm-chart-note').textContent(), /^\* Nov 2026 is still running: its figures run to Nov 16, 2026\.$/);

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

  test('each KPI card links to its view with the state in the URL', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      const card = (name) => page.getByRole('article', { name, exact: true });
      await card('Repeat purchase rate').waitFor();
      const href = await card('Repeat purchase rate').getByRole('link').getAttribute('href');
      const url = new URL(href, env.server.url);
      assert.equal(url.pathname, '/cohorts');
      const spec = JSON.parse(url.searchParams.get('spec'));
      assert.deepEqual([spec.start?.event, spec.return?.event, spec.period], ['purchase', 'purchase', 'month']);
      // The cohorts page opens that view: its controls show the spec from the link.
      await card('Repeat purchase rate').getByRole('link').click();
      await page.waitForURL(/\/cohorts\?/);
      await page.locator('main table.crm-retention').first().waitFor();
      assert.equal(new URL(page.url()).searchParams.get('spec'), url.searchParams.get('spec'));

      // The conversion card opens the visit → purchase funnel on the Journeys page.
      await page.goto(env.server.url + '/');
      await card('Conversion rate').waitFor();
      await card('Conversion rate').getByRole('link').click();
      await page.waitForURL(/\/journeys\?funnel=/);
      const funnel = page.getByRole('table', { name: 'Funnel' });
      await funnel.waitFor();
      assert.equal(await funnel.locator('tbody tr').count(), 2, 'two steps: visit, purchase');
      assertNoErrors(errors, 'kpi links');
    } finally {
      await context.close();
    }
  });

  // --- RFM ---------------------------------------------------------------------------------

  const RFM_LABELS_EN = {
    champions: 'Champions', loyal: 'Loyal', 'potential loyalists': 'Potential loyalists', new: 'New',
    promising: 'Promising', 'need attention': 'Need attention', 'about to sleep': 'About to sleep',
    'at risk': 'At risk', "can't lose": "Can't lose", hibernating: 'Hibernating', other: 'Other', 'no purchase': 'No purchase',
  };
  const readGrid = (page) =>
    page.locator('main table.crm-rfm-grid tbody tr').evaluateAll((rows) =>
      rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
    );
  // The engine's grid as the page lays it out: R5 at the top, F1 at the left.
  const gridOf = (result) => [...result.grid].reverse().map((row) => row.map((c) => group(c.customers)));
  let defaultsCache;
  const defaultsOf = () => (defaultsCache ??= engine({ kind: 'rfm' }));

  async function membersEqual(page, title, spec) {
    const want = engine({ kind: 'rfm_customers', ...spec });
    const panel = page.getByRole('complementary', { name: title(want.count) });
    await panel.waitFor();
    const shown = await panel.locator('ul.crm-rfm-members li span').allTextContents();
    assert.deepEqual(shown.map((s) => s.slice(1, -1)), want.customers.slice(0, 100));
    const firstLink = await panel.getByRole('link').first().getAttribute('href');
    assert.equal(firstLink, `/customers/${encodeURIComponent(want.customers[0])}`);
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download CSV' }).click()]);
    const raw = await readFile(await download.path(), 'utf8');
    assert.ok(raw.startsWith('\ufeff'), 'a byte-order mark for Excel');
    const csv = raw.trim().split('\r\n');
    assert.equal(csv[0], 'Customer ID,Name,Email');
    assert.deepEqual(csv.slice(1).map((line) => line.split(',')[0]), want.customers);
    return want;
  }

  test('RFM grid, shading, members of a segment and of a cell equal the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      await page.locator('main table.crm-rfm-grid').waitFor();
      assert.deepEqual(await readGrid(page), gridOf(defaultsOf()));
      // Segment rows: name, customers, share, as the engine.
      const segRows = await page.locator('main table.crm-rfm-segments tbody tr').evaluateAll((rows) =>
        rows.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelectorAll('td')[0].textContent.trim()]),
      );
      assert.deepEqual(segRows, defaultsOf().segments.map((s) => [RFM_LABELS_EN[s.name], group(s.customers)]));
      // Scores nobody has (ties share the lower score) are named, as the engine's grid has them.
      const grid = defaultsOf().grid;
      const sum = (cells) => cells.reduce((a, c) => a + c.customers, 0);
      const emptyScores = [
        ...[1, 2, 3, 4, 5].filter((r) => sum(grid[r - 1]) === 0).map((r) => `R${r}`),
        ...[1, 2, 3, 4, 5].filter((f) => sum(grid.map((row) => row[f - 1])) === 0).map((f) => `F${f}`),
      ];
      assert.ok(emptyScores.length > 0, 'the demo has empty scores to explain');
      assert.match(await page.locator('main .crm-rfm-empty-note').textContent(), new RegExp(`^No customer scores ${emptyScores.join(', ')}: `));

      // Shading by revenue shows each cell's revenue and shades by it.
      await page.getByRole('combobox', { name: 'Shade cells by' }).selectOption('revenue');
      const top = defaultsOf().grid.flat().reduce((a, c) => Math.max(a, c.monetary), 0);
      const r5f5 = page.locator('main table.crm-rfm-grid tbody tr').first().locator('td').nth(4);
      const shade = Number((await r5f5.getAttribute('style')).match(/--crm-shade:([\d.]+)/)[1]);
      assert.ok(Math.abs(shade - defaultsOf().grid[4][4].monetary / top) < 0.001, `shade ${shade}`);
      await page.getByRole('combobox', { name: 'Shade cells by' }).selectOption('customers');

      await page.getByRole('button', { name: 'Show the customers of Champions' }).click();
      await membersEqual(page, (n) => `Champions: ${group(n)} customers`, { segment: 'champions' });
      await screenshot(page, 'dashboard-rfm-members', 'en');

      // A cell: the fullest one (R from the top, F from the left).
      const cells = defaultsOf().grid.flatMap((row, r) => row.map((c, f) => ({ r: r + 1, f: f + 1, n: c.customers })));
      const { r, f } = cells.reduce((a, b) => (b.n > a.n ? b : a));
      await page.locator('main table.crm-rfm-grid tbody tr').nth(5 - r).locator('button').nth(f - 1).click();
      await membersEqual(page, (n) => `R${r} F${f}: ${group(n)} customers`, {
        segment: `R${r} F${f}`, segments: [{ name: `R${r} F${f}`, r: [r, r], f: [f, f] }],
      });
      assertNoErrors(errors, 'rfm members');
    } finally {
      await context.close();
    }
  });

  test('renamed segments, edited ranges and my own cut points follow the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      await page.locator('main table.crm-rfm-grid').waitFor();
      await page.getByText('Edit segment names, ranges and cut points', { exact: true }).click();
      await page.getByRole('textbox', { name: 'Name of segment 1', exact: true }).fill('VIP');
      await page.getByRole('textbox', { name: 'Name of segment 1', exact: true }).press('Enter');
      // VIP now also takes R4 (from R5 only).
      await page.getByRole('spinbutton', { name: 'VIP: lowest R' }).fill('4');
      await page.getByRole('spinbutton', { name: 'VIP: lowest R' }).press('Enter');
      const segments = defaultsOf().segments.filter((s) => s.name !== 'other').map((s) => s.name);
      const specSegments = JSON.parse(JSON.stringify(DEFAULT_SEGMENTS));
      specSegments[0] = { name: 'VIP', r: [4, 5], f: [4, 5] };
      assert.equal(segments.length, specSegments.length);
      const renamed = engine({ kind: 'rfm', segments: specSegments });
      const vip = renamed.segments.find((s) => s.name === 'VIP');
      await eventually(async () => {
        const text = await page.locator('main table.crm-rfm-segments tbody tr').first().textContent();
        assert.ok(text.startsWith('VIP') && text.includes(group(vip.customers)), text);
      });
      await page.getByRole('button', { name: 'Show the customers of VIP' }).click();
      await membersEqual(page, (n) => `VIP: ${group(n)} customers`, { segment: 'VIP', segments: specSegments });

      // My own cut points: start from the quintiles' cuts, then change some.
      await page.getByRole('combobox', { name: 'Scores from' }).selectOption('own');
      const cuts = { recency_days: [14, 45, 120, 240], frequency: [2, 3, 5, 8], monetary: [50000, 150000, 400000, 900000] };
      for (const [letter, key] of [['R', 'recency_days'], ['F', 'frequency'], ['M', 'monetary']]) {
        for (let i = 0; i < 4; i++) {
          const input = page.getByRole('spinbutton', { name: `${letter} cut ${i + 1}` });
          await input.fill(String(cuts[key][i]));
          await input.press('Enter');
        }
      }
      const own = engine({ kind: 'rfm', segments: specSegments, cuts: { method: 'thresholds', ...cuts } });
      await eventually(async () => assert.deepEqual(await readGrid(page), gridOf(own)));
      // An impossible setting is explained, not crashed on.
      await page.getByRole('spinbutton', { name: 'F cut 1' }).fill('50');
      await page.getByRole('spinbutton', { name: 'F cut 1' }).press('Enter');
      await page.getByRole('alert').filter({ hasText: 'cuts.frequency' }).first().waitFor();
      await screenshot(page, 'dashboard-rfm-editor', 'en');
      assertNoErrors(errors, 'rfm editor');
    } finally {
      await context.close();
    }
  });

  test('the moves between two dates equal rfm_transitions cell by cell, with the champions headline', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      const today = engine({ kind: 'rfm' }).now.slice(0, 10);
      const back = (days) => new Date(Date.parse(today + 'T00:00:00Z') - days * 86400000).toISOString().slice(0, 10);
      for (const [from, setIt] of [[back(90), false], [back(180), true]]) {
        if (setIt) await page.getByLabel('Compare with the segments on').fill(from);
        const moves = engine({ kind: 'rfm_transitions', from });
        const want = moves.counts.map((row, i) => [RFM_LABELS_EN[moves.labels[i]], ...row.map(group)]);
        await eventually(async () => {
          const got = await page.locator('main table.crm-rfm-moves tbody tr').evaluateAll((rows) =>
            rows.map((tr) => [...tr.children].map((c) => c.textContent.trim())),
          );
          assert.deepEqual(got, want);
        });
        const c = moves.labels.indexOf('champions');
        const then = moves.counts[c].reduce((a, b) => a + b, 0);
        const slipped = moves.counts[c]
          .map((n, j) => [n, moves.labels[j]])
          .filter(([n, label]) => n > 0 && label !== 'champions')
          .sort((a, b) => b[0] - a[0]);
        const moved = slipped.reduce((a, [n]) => a + n, 0);
        const items = slipped.map(([n, label]) => `${group(n)} now ${RFM_LABELS_EN[label]}`).join(', ');
        const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const sentence = moved === 0
          ? new RegExp(`^All ${group(then)} champions on .* are still champions\\.$`)
          : new RegExp(`^${group(moved)} of the ${group(then)} champions on .* have slipped: ${esc(items)}\\.$`);
        assert.match((await page.locator('main .crm-rfm-slipping').textContent()).trim(), sentence);
        // The same answer is at the top of the page.
        assert.match((await page.locator('main .crm-act-champions').textContent()).trim(), sentence);
      }
      assertNoErrors(errors, 'rfm moves');
    } finally {
      await context.close();
    }
  });

  // --- Value models ------------------------------------------------------------------------

  const num = (text) => Number(text.replace(/[^\d.\-]/g, ''));
  const readCosts = (page) =>
    page.locator('main table.crm-cost-table tbody tr').evaluateAll((rows) =>
      rows.map((tr) => ({
        channel: tr.querySelector('select').value,
        month: tr.querySelector('input[type="month"]').value,
        cost: Number(tr.querySelector('input[type="number"]').value),
      })),
    );
  const readLtv = (page) =>
    page.locator('main table.crm-ltv-table tbody tr').evaluateAll((rows) =>
      rows.map((tr) => [...tr.children].map((c) => c.textContent.trim())),
    );
  const ltvRows = (result) =>
    [...result.channels, { ...result.total, channel: 'All channels' }].map((c) => [
      c.channel,
      group(c.new_customers),
      c.ltv_cac === null ? '—' : c.ltv_cac.toFixed(2),
      c.cac === null && c.cost === 0 ? '—' : c.loses_money ? 'Loses money' : 'Pays back',
    ]);
  const pick = (rows) => rows.map((r) => [r[0], r[1], r[5], r[6]]);

  test('LTV:CAC: the cost table is kept in the browser and the channels equal the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      await page.locator('main table.crm-ltv-table').waitFor();
      const costs = await readCosts(page);
      assert.ok(costs.length > 0, 'example costs for the demo');
      let want = engine({ kind: 'ltv_cac', costs });
      assert.deepEqual(pick(await readLtv(page)), ltvRows(want));
      assert.ok(want.channels.some((c) => c.loses_money) && want.channels.some((c) => !c.loses_money && c.ltv_cac !== null),
        'the demo costs show a channel that pays back and one that loses money');
      // The sentence at the top names the best channel and the losers, as the engine says.
      const best = want.channels.filter((c) => !c.loses_money && c.ltv_cac !== null).sort((a, b) => b.ltv_cac - a.ltv_cac)[0];
      const top = (await page.locator('main .crm-act-channel').textContent()).trim();
      assert.ok(top.startsWith(`${best.channel} brings customers worth ${best.ltv_cac.toFixed(1)} times what they cost`), top);
      for (const c of want.channels.filter((c) => c.loses_money)) assert.ok(top.includes(c.channel), `${c.channel} in ${top}`);

      // Edit a cost: the table follows, and the costs survive a reload (kept in localStorage).
      await page.getByText('Marketing cost per channel and month').first().click();
      await page.getByRole('spinbutton', { name: 'Cost of cost row 1', exact: true }).fill('99000000');
      await page.getByRole('spinbutton', { name: 'Cost of cost row 1', exact: true }).press('Enter');
      const edited = await readCosts(page);
      assert.equal(edited[0].cost, 99000000);
      want = engine({ kind: 'ltv_cac', costs: edited });
      await eventually(async () => assert.deepEqual(pick(await readLtv(page)), ltvRows(want)));
      await page.reload();
      await page.locator('main table.crm-ltv-table').waitFor();
      assert.deepEqual(await readCosts(page), edited);
      assert.deepEqual(pick(await readLtv(page)), ltvRows(want));
      const stored = await page.evaluate(() => localStorage.getItem('crm-lens.settings.marketing-costs.v1'));
      assert.deepEqual(JSON.parse(stored), edited);

      // Predicted CLV as the basis.
      await page.getByRole('combobox', { name: 'CLV counted as' }).selectOption('predicted');
      const predicted = engine({ kind: 'ltv_cac', costs: edited, clv: 'predicted' });
      await eventually(async () => assert.deepEqual(pick(await readLtv(page)), ltvRows(predicted)));
      await screenshot(page, 'dashboard-ltv-cac', 'en');
      assertNoErrors(errors, 'ltv cac');
    } finally {
      await context.close();
    }
  });

  test('predictive CLV: parameters, sorted customers and the calibration chart equal the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      const params = page.locator('main table.crm-clv-params tbody tr');
      await params.first().waitFor();
      const clv = engine({ kind: 'clv' });
      const bg = clv.bgnbd.params ?? clv.bgnbd;
      const gg = clv.gamma_gamma.params ?? clv.gamma_gamma;
      const want = [bg.r, bg.alpha, bg.a, bg.b, gg.p, gg.q, gg.v];
      const got = (await params.locator('td').allTextContents()).map(num);
      assert.equal(got.length, 7);
      got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= Math.max(1e-4, Math.abs(want[i]) * 1e-3), `param ${i}: ${g} vs ${want[i]}`));
      const chart = page.getByRole('img', { name: /^Predicted vs actual purchases in the holdout/ });
      assert.equal(await chart.locator('svg').count(), 1);
      const alt = await chart.getAttribute('aria-label');
      for (const b of clv.holdout.buckets) assert.ok(alt.includes(`${b.frequency}: ${b.actual.toFixed(2)}`), `${b.frequency} in ${alt}`);

      const ids = () => page.locator('main table.crm-clv-customers tbody th span').allTextContents();
      const top = engine({ kind: 'clv_customers', order: 'clv_desc', limit: 50 });
      assert.deepEqual((await ids()).map((s) => s.slice(1, -1)), top.customers.map((c) => c.id));
      const firstRow = await page.locator('main table.crm-clv-customers tbody tr').first().locator('td').allTextContents();
      assert.equal(firstRow[0], `${(Math.round(top.customers[0].p_alive * 1000) / 10).toFixed(1)}%`);
      await page.getByRole('combobox', { name: 'Sort by' }).selectOption('p_alive_asc');
      const low = engine({ kind: 'clv_customers', order: 'p_alive_asc', limit: 50 });
      await eventually(async () => assert.deepEqual((await ids()).map((s) => s.slice(1, -1)), low.customers.map((c) => c.id)));
      await screenshot(page, 'dashboard-clv', 'en');
      assertNoErrors(errors, 'clv');
    } finally {
      await context.close();
    }
  });

  test('renewal radar: contracts by risk, the window, the CSV and the top sentence equal the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/');
      const ids = () => page.locator('main table.crm-renewal-table tbody th span').allTextContents();
      const idOf = (s) => s.slice(1, -1).split(', ').at(-1);
      await page.locator('main table.crm-renewal-table').waitFor();
      let want = engine({ kind: 'renewal' });
      assert.ok(want.contracts.length > 0);
      assert.deepEqual((await ids()).map(idOf), want.contracts.map((c) => c.id));
      const risks = await page.locator('main table.crm-renewal-table tbody tr td:last-child').allTextContents();
      assert.deepEqual(risks.map((r) => parseInt(r, 10)), want.contracts.map((c) => c.risk));
      assert.equal(await page.getByRole('img', { name: /contracts end in the next/ }).locator('svg circle').count(), want.contracts.length);

      const sentence = (await page.locator('main .crm-act-contracts').textContent()).trim();
      assert.ok(sentence.startsWith(`Call this month: ${want.at_risk_customers.length} contracts end within ${want.at_risk_within_days} days and are at risk`), sentence);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV for the sales team' }).click()]);
      const raw = await readFile(await download.path(), 'utf8');
      assert.ok(raw.startsWith('\ufeff'), 'a byte-order mark for Excel');
      const csv = raw.trim().split('\r\n');
      assert.ok(csv[0].startsWith('Customer ID,Company,Name,Email,Ends'), csv[0]);
      assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), want.contracts.map((c) => c.id));

      await page.getByRole('spinbutton', { name: 'Contracts ending in the next (months)' }).fill('6');
      await page.getByRole('spinbutton', { name: 'Contracts ending in the next (months)' }).press('Enter');
      want = engine({ kind: 'renewal', months: 6 });
      await eventually(async () => assert.deepEqual((await ids()).map(idOf), want.contracts.map((c) => c.id)));
      await screenshot(page, 'dashboard-renewal', 'en');
      assertNoErrors(errors, 'renewal');
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
