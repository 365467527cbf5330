// Journeys: the paths Sankey's moves equal the engine's paths query (also after changing every
// control), a node or move lists exactly paths_customers; the funnel, its breakdown and time to
// convert equal the engine's funnel query, a drop-off opens its customers; the lifecycle table and
// the relationship-stage transitions equal the engine's; axe finds nothing serious in both
// languages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { E2E_DIR, REPO_ROOT, TEST_TIMEOUT, assertNoErrors, eventually, openPage, savedDefinition, screenshot, useAppAndBrowser, runQuery } from './helpers.mjs';


const engine = runQuery;

const STEPS = ['visit', 'product_view', 'cart_add', 'purchase'].map((event) => ({ event }));
const group = (n) => n.toLocaleString('en-US');

const EVENT_EN = {
  signup: 'Sign-up', visit: 'Visit', product_view: 'Product view', cart_add: 'Add to cart', purchase: 'Purchase',
  refund: 'Refund', support_ticket: 'Support ticket', nps_response: 'NPS response', message_sent: 'Message sent',
  message_opened: 'Message opened', message_clicked: 'Message clicked', contract_start: 'Contract start',
  contract_renewed: 'Contract renewed', contract_ended: 'Contract ended', '(other)': '(other)',
};
const WIN_BACK = { rule: 'not_performed', event: { event: 'visit' }, window: { last_days: 14 } };

/** The engine's moves as the UI's table shows them: step, from, to, customers. */
function expectedMoves(result) {
  return result.links.map((l) => {
    const [s, t] = [result.nodes[l.source], result.nodes[l.target]];
    return [`${s.step + 1} → ${t.step + 1}`, EVENT_EN[s.label], EVENT_EN[t.label], group(l.customers)];
  });
}

/** Customer ids listed in the open panel ("Name (id)"). */
async function listedIds(panel) {
  const items = await panel.locator('li').allTextContents();
  return items.map((text) => text.match(/\(([^()]+)\)$/)[1]);
}

/** Saves the open panel's customers as a segment through the UI; returns the saved ids (sorted). */
async function saveAsSegment(page, panel, name) {
  await panel.getByRole('button', { name: /^Save as segment/ }).click();
  await panel.getByRole('textbox', { name: 'Segment name' }).fill(name);
  await panel.getByRole('button', { name: 'Save segment' }).click();
  await panel.getByRole('status').filter({ hasText: `Saved segment “${name}”` }).waitFor();
  const definition = await savedDefinition(page, name);
  assert.equal(definition.attribute, '$id', 'a fixed list of customers');
  return [...definition.values].sort();
}

const exactTable = (page, name) => page.getByRole('table', { name, exact: true });

async function tableRows(table) {
  // The visible text of each cell (screen-reader-only hints left out).
  return table.evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => {
    const copy = c.cloneNode(true);
    copy.querySelectorAll('.crm-visually-hidden').forEach((h) => h.remove());
    return copy.textContent.trim();
  })));
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
      // The cart abandoners saved as a segment.
      assert.deepEqual(await saveAsSegment(page, panel, 'Cart abandoners'), [...dropped.customers].sort());
      await panel.getByRole('button', { name: 'Close' }).click();

      // The saved segment is offered as the funnel's filter and as a breakdown.
      const abandoners = await savedDefinition(page, 'Cart abandoners');
      const funnelCard = page.locator('section', { has: page.getByRole('heading', { name: 'Funnel', exact: true }) });
      await funnelCard.getByRole('combobox', { name: 'Only customers in' }).selectOption({ label: 'Cart abandoners' });
      const filtered = engine({ kind: 'funnel', steps: STEPS, window: { days: 14 }, mode: 'strict', filter: abandoners });
      await page.waitForFunction(
        (want) => [...document.querySelectorAll('main table')].find((t) => t.caption?.textContent === 'Funnel')
          ?.querySelector('tbody tr:first-child td')?.textContent === want,
        group(filtered.steps[0].customers),
      );
      assert.deepEqual((await tableRows(table)).map((r) => r[1]), filtered.steps.map((s) => group(s.customers)));
      await funnelCard.getByRole('combobox', { name: 'Only customers in' }).selectOption({ label: 'All customers' });
      await funnelCard.getByRole('combobox', { name: 'Breakdown' }).selectOption({ label: 'By saved segment' });
      const bySaved = engine({
        kind: 'funnel', steps: STEPS, window: { days: 14 }, mode: 'strict',
        breakdown: { by: 'segments', segments: [{ label: 'Cart abandoners', rule: abandoners }] },
      });
      const savedGroup = bySaved.groups.find((g) => g.label === 'Cart abandoners');
      assert.ok(savedGroup, 'the engine has the saved segment as a group');
      const groupTable = funnelCard.getByRole('table', { name: 'Funnel by saved segment' });
      await groupTable.waitFor();
      const groupRow = (await tableRows(groupTable)).find((r) => r[0] === 'Cart abandoners');
      assert.equal(groupRow[1], group(savedGroup.steps[0].customers));
      await funnelCard.getByRole('combobox', { name: 'Breakdown' }).selectOption({ label: 'No breakdown' });

      const lifecycle = engine({ kind: 'lifecycle', period: 'week', periods: 12 });
      const lrows = await tableRows(page.getByRole('table', { name: 'Lifecycle' }));
      assert.deepEqual(
        lrows.map((r) => r.slice(1)),
        lifecycle.periods.map((p) => [p.new, p.returning, p.resurrecting, p.dormant].map(group)),
      );
      // The chart marks the running weeks as the engine has them and names them under it.
      const lifecycleChart = page.locator('figure.crm-chart').filter({ has: page.getByRole('img', { name: /^Lifecycle:/ }) });
      const ticks = (await lifecycleChart.locator('svg text').allTextContents()).map((l) => l.trim());
      const running = lifecycle.periods.filter((p) => !p.complete).length;
      assert.ok(running > 0, 'the demo ends inside a week');
      assert.equal(ticks.filter((l) => l.endsWith('*')).length, running, `running weeks in ${ticks}`);
      assert.match(await lifecycleChart.locator('.crm-chart-note').textContent(), /^\* Still running: the week of .+, counted so far\.$/);
      assertNoErrors(errors, 'journeys');
    } finally {
      await context.close();
    }
  });

  test('paths: the Sankey moves equal the engine, through every control; nodes and moves list their customers', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/journeys');
      const moves = exactTable(page, 'Every move');
      await moves.waitFor({ timeout: 120_000 });
      const base = { kind: 'paths', steps: 4, top: 12, session_gap_minutes: 30 };
      const paths = engine(base);
      assert.ok(paths.links.length > 3, 'the demo has paths');
      assert.deepEqual(await tableRows(moves), expectedMoves(paths));
      // One button per node and per move over the chart.
      const sankey = page.locator('.crm-sankey');
      assert.equal(await sankey.locator('button').count(), paths.nodes.length + paths.links.length);

      // A node's customers equal paths_customers.
      const node = paths.nodes.find((n) => n.step === 1);
      await page.getByRole('button', { name: `${EVENT_EN[node.label]} at step 2: ${group(node.customers)} customers`, exact: true }).click();
      const nodeList = engine({ ...base, kind: 'paths_customers', step: 1, label: node.label });
      const panel = page.getByRole('complementary');
      await panel.waitFor();
      assert.equal(nodeList.count, node.customers);
      assert.match(await panel.locator('h3').textContent(), new RegExp(`: ${group(nodeList.count)} customers$`));
      assert.deepEqual(await listedIds(panel), nodeList.customers.slice(0, 50));
      // Saved as a segment: a fixed list of exactly these customers.
      assert.deepEqual(await saveAsSegment(page, panel, 'Path node'), [...nodeList.customers].sort());
      await panel.getByRole('button', { name: 'Close' }).click();

      // The saved segment filters the paths: its members' moves equal the engine's.
      const pathNode = await savedDefinition(page, 'Path node');
      const pathsCard = page.locator('section', { has: page.getByRole('heading', { name: 'Paths', exact: true }) });
      await pathsCard.getByRole('combobox', { name: 'Only customers in' }).selectOption({ label: 'Path node' });
      const members = engine({ ...base, filter: pathNode });
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('main table')].find((t) => t.caption?.textContent === 'Every move')
          ?.querySelectorAll('tbody tr').length === n,
        members.links.length,
      );
      assert.deepEqual(await tableRows(exactTable(page, 'Every move')), expectedMoves(members));

      // Every control through the UI: end anchor at a purchase with a property filter, steps,
      // hidden events, top N, session gap and a segment filter.
      await page.getByRole('combobox', { name: 'Paths start' }).selectOption('end');
      await page.getByRole('combobox', { name: 'Anchor event', exact: true }).selectOption('purchase');
      await page.getByRole('group', { name: 'Anchor event' }).getByRole('button', { name: 'Add property filter' }).click();
      await page.getByRole('group', { name: 'Anchor event' }).getByRole('combobox', { name: 'Property' }).selectOption('category');
      await page.getByRole('checkbox', { name: 'Product view' }).check();
      await page.getByRole('spinbutton', { name: 'Steps' }).fill('3');
      await page.getByRole('spinbutton', { name: 'Steps' }).press('Tab');
      await page.getByRole('spinbutton', { name: 'Top moves kept' }).fill('8');
      await page.getByRole('spinbutton', { name: 'Top moves kept' }).press('Tab');
      await page.getByRole('spinbutton', { name: 'Session gap (minutes)' }).fill('60');
      await page.getByRole('spinbutton', { name: 'Session gap (minutes)' }).press('Tab');
      await pathsCard.getByRole('combobox', { name: 'Only customers in' }).selectOption('win_back');
      const spec = {
        kind: 'paths', steps: 3, top: 8, session_gap_minutes: 60, hidden: ['product_view'],
        anchor: { at: 'end', event: { event: 'purchase', conditions: [{ property: 'category', op: 'exists' }] } },
        filter: WIN_BACK,
      };
      const anchored = engine(spec);
      assert.ok(anchored.links.length > 0, 'anchored paths exist');
      const want = expectedMoves(anchored);
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('main table')].find((t) => t.caption?.textContent === 'Every move')
          ?.querySelectorAll('tbody tr').length === n,
        want.length,
      );
      assert.deepEqual(await tableRows(exactTable(page, 'Every move')), want);
      // The settings are in the URL: a reload (or a shared link) shows the same paths.
      assert.match(page.url(), /paths_anchor=end/);
      await page.reload();
      await page.waitForFunction(
        (n) => [...document.querySelectorAll('main table')].find((t) => t.caption?.textContent === 'Every move')
          ?.querySelectorAll('tbody tr').length === n,
        want.length,
        { timeout: 120_000 },
      );
      assert.deepEqual(await tableRows(exactTable(page, 'Every move')), want);
      assert.equal(await page.getByRole('spinbutton', { name: 'Steps' }).inputValue(), '3');
      assert.equal(await pathsCard.getByRole('combobox', { name: 'Only customers in' }).inputValue(), 'win_back');
      // The anchor is the last step: every move ends at step 3.
      assert.ok(anchored.links.every((l) => anchored.nodes[l.target].step <= 2));

      // A move's customers (from the accessible table) equal paths_customers with a target.
      const link = anchored.links[0];
      const [s, t] = [anchored.nodes[link.source], anchored.nodes[link.target]];
      await exactTable(page, 'Every move').getByRole('button').first().click();
      const linkList = engine({ ...spec, kind: 'paths_customers', step: s.step, label: s.label, target: t.label });
      await panel.waitFor();
      assert.equal(linkList.count, link.customers);
      assert.deepEqual(await listedIds(panel), linkList.customers.slice(0, 50));
      assertNoErrors(errors, 'paths');
    } finally {
      await context.close();
    }
  });

  test('funnel breakdown and time to convert equal the engine', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/journeys');
      await exactTable(page, 'Funnel').waitFor({ timeout: 120_000 });
      const plain = engine({ kind: 'funnel', steps: STEPS, window: { days: 14 } });
      await page.getByText('Converted customers by time to convert').first().click();
      const ttc = await tableRows(exactTable(page, 'Converted customers by time to convert'));
      assert.deepEqual(ttc.map((r) => r[1]), plain.time_to_convert.map((b) => group(b.customers)));
      assert.ok(plain.time_to_convert.some((b) => b.customers > 0));

      await page.getByRole('combobox', { name: 'Breakdown' }).selectOption('attr:channel');
      const by = engine({ kind: 'funnel', steps: STEPS, window: { days: 14 }, breakdown: { by: 'attribute', attribute: 'channel', limit: 10 } });
      const table = exactTable(page, 'Funnel by channel');
      await table.waitFor();
      const label = (l) => (l === '(none)' ? '(none)' : l);
      const pct = (x) => `${(x * 100).toFixed(1)}%`;
      assert.deepEqual(
        (await tableRows(table)).map((r) => r.slice(0, 4)),
        by.groups.map((g) => [label(g.label), group(g.steps[0].customers), group(g.steps.at(-1).customers), pct(g.steps.at(-1).conversion_from_start)]),
      );
      assert.ok(by.groups.length > 1);
      assertNoErrors(errors, 'funnel breakdown');
    } finally {
      await context.close();
    }
  });

  test('relationship stages: transitions equal the engine, also after editing a stage; a count lists its customers', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/journeys');
      const [from, to] = ['2026-08-18', '2026-11-16'];
      const caption = `Customers by stage on ${from} (rows) and on ${to} (columns)`;
      const table = exactTable(page, caption);
      await table.waitFor({ timeout: 120_000 });
      const cells = async () => (await tableRows(table)).map((r) => r.slice(1, -1));
      const expected = (m) => m.counts.map((row) => row.slice(0, -1).map(group));
      const moves = engine({ kind: 'relationship_transitions', from, to });
      assert.deepEqual(await cells(), expected(moves));
      assert.ok(moves.counts.flat().filter((n) => n > 0).length > 4, 'customers moved');

      // Edit "collaboration": at least 3 purchases in the last 180 days.
      await page.getByRole('spinbutton', { name: 'Collaboration — At least (times)' }).fill('3');
      await page.getByRole('spinbutton', { name: 'Collaboration — At least (times)' }).press('Tab');
      await page.getByRole('spinbutton', { name: 'Collaboration — In the last (days)' }).fill('180');
      await page.getByRole('spinbutton', { name: 'Collaboration — In the last (days)' }).press('Tab');
      const stages = [
        ['interconnection', 'purchase', 5, 365], ['collaboration', 'purchase', 3, 180],
        ['basic', 'purchase', 1, 365], ['exploration', '$activity', 1, 90],
      ].map(([name, event, n, days]) => ({ name, rule: { rule: 'performed', event: { event }, count: { op: 'gte', value: n }, window: { last_days: days } } }));
      const edited = engine({ kind: 'relationship_transitions', from, to, stages });
      assert.notDeepEqual(expected(edited), expected(moves));
      await eventually(async () => assert.deepEqual(await cells(), expected(edited)), { what: 'edited transitions' });
      // The edited stages are in the URL and survive a reload.
      await eventually(async () => assert.match(page.url(), /rel_stages=/), { what: 'stages in the URL' });
      await page.reload();
      await table.waitFor({ timeout: 120_000 });
      await eventually(async () => assert.deepEqual(await cells(), expected(edited)), { what: 'transitions after a reload' });

      // The customers behind "basic → collaboration".
      const [bi, ci] = [edited.labels.indexOf('basic'), edited.labels.indexOf('collaboration')];
      const n = edited.counts[bi][ci];
      assert.ok(n > 0);
      await page.getByRole('button', { name: `Basic → Collaboration: ${group(n)} customers` }).click();
      const list = engine({ kind: 'relationship_customers', from, to, stages, from_stage: 'basic', stage: 'collaboration' });
      const panel = page.getByRole('complementary');
      await panel.waitFor();
      assert.equal(list.count, n);
      assert.deepEqual(await listedIds(panel), list.customers.slice(0, 50));
      await screenshot(page, 'journeys-relationship', 'en');
      assertNoErrors(errors, 'relationship');
    } finally {
      await context.close();
    }
  });

  test('a link with unreadable settings says which were ignored and shows the defaults', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(env.server.url + '/journeys?paths_steps=99&rel_from=2026-02-30&paths_top=5');
      await page.getByRole('status').filter({ hasText: 'paths_steps' }).waitFor({ timeout: 120_000 });
      await page.getByRole('status').filter({ hasText: 'rel_from' }).waitFor();
      assert.equal(await page.getByRole('spinbutton', { name: 'Steps' }).inputValue(), '4');
      assert.equal(await page.getByRole('spinbutton', { name: 'Top moves kept' }).inputValue(), '5');
      assertNoErrors(errors, 'ignored settings');
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
        await page.locator('.crm-sankey').screenshot({ path: path.join(E2E_DIR, 'screenshots', `journeys-sankey-${lang}.png`) });
        assertNoErrors(errors, lang);
      } finally {
        await context.close();
      }
    });
  }
});
