// Journey backtest: for each of the three source journeys, every number the view shows (entries,
// outcomes, goal, each step and way out, each channel, every calendar day, all channels and one)
// equals `crm-lens-query` `journey_backtest` over the same days; a step, a channel status and a
// calendar day list exactly `journey_backtest_customers`; the result says when it is stale; a
// saved journey replayed alongside makes caps count across journeys; axe finds nothing serious
// in English and Korean.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { E2E_DIR, REPO_ROOT, TEST_TIMEOUT, assertNoErrors, openPage, screenshot, useAppAndBrowser, runQuery } from './helpers.mjs';


// The demo's now and zone are the dataset's, as in the app.
const engine = runQuery;

/** The three templates' JSON, read from the Rust source the app is built from. */
function templates() {
  const src = readFileSync(path.join(REPO_ROOT, 'src/engine/journey_templates.rs'), 'utf8');
  const out = {};
  for (const [id, name] of [['win_back', 'WIN_BACK'], ['signup_coupon', 'SIGNUP_COUPON'], ['cart_consultation', 'CART_CONSULTATION']]) {
    const m = src.match(new RegExp(`const ${name}: &str = r#"([\\s\\S]*?)"#;`));
    assert.ok(m, `template ${name} found`);
    out[id] = JSON.parse(m[1]);
  }
  return out;
}
const TEMPLATES = templates();

const group = (n) => n.toLocaleString('en-US');
/** As the app's format::decimal(x, 1). */
const dec1 = (x) => {
  const scaled = Math.round(Math.abs(x) * 10);
  const sign = x < 0 && scaled !== 0 ? '-' : '';
  return `${sign}${group(Math.trunc(scaled / 10))}.${scaled % 10}`;
};
const pct = (rate) => (rate === null ? '—' : `${dec1(rate)}%`);
const CHANNEL_EN = { email: 'Email', sms: 'SMS', push: 'Push', in_app: 'In-app', kakao: 'Kakao' };
const EVENT_EN = { purchase: 'Purchase', visit: 'Visit' };
const STATUSES = ['attempted', 'sent', 'skipped_consent', 'deferred_quiet_hours', 'held_by_cap', 'pending', 'cancelled'];

/** Visible text of each body row's cells (screen-reader-only hints left out). */
async function tableRows(table) {
  return table.evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => {
    const copy = c.cloneNode(true);
    copy.querySelectorAll('.crm-visually-hidden, [aria-hidden="true"]').forEach((h) => h.remove());
    return copy.textContent.replace(/\s+/g, ' ').trim();
  })));
}

/** dt → dd text of a figures list. */
async function figures(dl) {
  return dl.evaluate((d) => Object.fromEntries([...d.querySelectorAll('dt')].map((dt) => {
    const copy = dt.nextElementSibling.cloneNode(true);
    copy.querySelectorAll('.crm-visually-hidden').forEach((h) => h.remove());
    return [dt.textContent.trim(), copy.textContent.trim()];
  })));
}

/** Day → shown count of the calendar. */
async function calendarDays(page) {
  return page.locator('table.crm-bt-calendar').evaluate((t) => Object.fromEntries([...t.querySelectorAll('td[data-date]')].map((td) => {
    const copy = td.cloneNode(true);
    copy.querySelectorAll('.crm-visually-hidden').forEach((h) => h.remove());
    return [td.dataset.date, copy.textContent.trim()];
  })));
}

async function listedIds(panel) {
  const items = await panel.locator('li').allTextContents();
  return items.map((text) => text.match(/\(([^()]+)\)$/)[1]);
}

async function run(page, days) {
  const field = page.getByRole('spinbutton', { name: 'Days of history' });
  await field.fill(String(days));
  // Record whether the busy state shows while the replay runs.
  await page.evaluate(() => {
    window.__busySeen = false;
    const section = document.querySelector('section.crm-bt');
    new MutationObserver(() => {
      if (section.querySelector('.crm-bt-busy') && section.getAttribute('aria-busy') === 'true') window.__busySeen = true;
    }).observe(section, { subtree: true, childList: true, attributes: true });
  });
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await page.locator(`.crm-bt-window:has-text("(${group(days)} days)")`).waitFor({ timeout: 240_000 });
  await page.locator('section.crm-bt[aria-busy="false"]').waitFor({ timeout: 240_000 });
  assert.ok(await page.evaluate(() => window.__busySeen), 'a busy state showed while replaying');
}

/** Checks every number shown against the engine's answer for the first journey. */
async function checkNumbers(page, result) {
  const j = result.journeys[0];
  const sent = j.calendar.reduce((s, d) => s + d.total, 0);
  const busiest = Math.max(...j.calendar.map((d) => d.total));
  assert.equal(
    (await page.locator('.crm-bt-lead').textContent()).trim(),
    `In these ${group(result.days)} days this journey would have reached ${group(j.customers)} customers (${group(j.entries)} entries) and sent ${group(sent)} messages: ${dec1(sent / result.days)} a day on average, ${group(busiest)} on the busiest day.`,
  );
  const summary = await figures(page.locator('dl.crm-bt-summary'));
  assert.deepEqual(summary, {
    Entries: group(j.entries), 'Unique customers': group(j.customers), Completed: group(j.completed),
    'Left by an exit event': group(j.exited), 'Still in progress': group(j.in_progress), 'Control group': group(j.control),
  });

  const g = j.goal;
  let sentence = `Of ${group(g.treated)} entries that would have been messaged, ${group(g.treated_reached)} (${pct(g.treated_rate)}) led to “${EVENT_EN[g.event.event ?? g.event]}” within ${g.within_days} days. `;
  sentence += g.control > 0
    ? `The control group: ${pct(g.control_rate)} (${group(g.control_reached)} of ${group(g.control)}), so the journey adds ${g.uplift_points > 0 ? '+' : ''}${dec1(g.uplift_points)} points.`
    : 'There is no control group, so the uplift is unknown: add one with an A/B split.';
  assert.equal((await page.locator('.crm-bt-goal-sentence').textContent()).trim(), sentence);
  const goal = await figures(page.locator('dl.crm-bt-goal'));
  const wantGoal = {
    'Messaged, reached the goal': group(g.treated_reached), 'Messaged, did not reach it': group(g.treated - g.treated_reached),
    'Goal rate, messaged': pct(g.treated_rate),
  };
  if (g.control > 0) {
    Object.assign(wantGoal, {
      'Control, reached the goal': group(g.control_reached), 'Goal rate, control': pct(g.control_rate),
      Uplift: `${g.uplift_points > 0 ? '+' : ''}${dec1(g.uplift_points)} points`,
    });
  }
  assert.deepEqual(goal, wantGoal);

  // Steps in journey order, each followed by its ways out.
  const steps = await tableRows(page.getByRole('table', { name: 'Customers at each step and through each way out' }));
  const want = [];
  for (const n of j.nodes) {
    want.push([`(${n.id})`, group(n.customers), group(n.visits), n.messages ? `${group(n.messages.sent)} of ${group(n.messages.attempted)}` : '']);
    for (const e of j.edges.filter((x) => x.from === n.id)) want.push([e.outlet, group(e.customers), group(e.times), '']);
  }
  assert.equal(steps.length, want.length);
  steps.forEach((row, i) => {
    assert.deepEqual(row.slice(1), want[i].slice(1), `step row ${i}: ${row[0]}`);
    if (want[i][0].startsWith('(')) assert.ok(row[0].endsWith(want[i][0]), `${row[0]} names ${want[i][0]}`);
  });

  // Channels with any message, every status.
  const channels = await tableRows(page.getByRole('table', { name: 'What would have happened to each channel’s messages' }));
  assert.deepEqual(channels, j.channels.filter((c) => c.attempted > 0).map((c) => [CHANNEL_EN[c.channel], ...STATUSES.map((s) => group(c[s]))]));

  // Every calendar day, all channels; the sentence's total and peak.
  const days = await calendarDays(page);
  assert.deepEqual(days, Object.fromEntries(j.calendar.map((d) => [d.date, group(d.total)])));
  const total = j.calendar.reduce((s, d) => s + d.total, 0);
  assert.ok(total > 0, 'messages were sent');
  const peak = Math.max(...j.calendar.map((d) => d.total));
  const text = await page.locator('.crm-bt-pressure').textContent();
  assert.match(text, new RegExp(`over ${group(result.days)} days \\(${group(total)} in total\\)`));
  assert.match(text, new RegExp(`with ${group(peak)}\\.$`));
  assert.ok(text.startsWith(`It would send ${dec1(total / result.days)} messages a day`), text);
}

const OTHER_DAYS = { signup_coupon: 30, win_back: 14, cart_consultation: 45 };

describe('journey backtest', () => {
  const env = useAppAndBrowser();

  for (const id of Object.keys(TEMPLATES)) {
    test(`${id}: every number equals journey_backtest; a step, a channel status and a day list their customers`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
      try {
        await page.goto(`${env.server.url}/journeys/designer?template=${id}`);
        await page.getByRole('button', { name: 'Run backtest' }).waitFor({ timeout: 120_000 });
        await page.getByText('No journeys are saved yet, so caps count only this journey’s messages.').waitFor();
        const journey = TEMPLATES[id];
        for (const days of [90, OTHER_DAYS[id]]) {
          await run(page, days);
          const spec = { kind: 'journey_backtest', days, journeys: [journey] };
          const result = engine(spec);
          await checkNumbers(page, result);
          assert.equal(await page.locator('.crm-bt-stale').count(), 0);
        }
        // The journey's sending rules under the channel table (all three keep the default quiet
        // hours and consent).
        const order = ['email', 'sms', 'push', 'in_app', 'kakao'];
        const caps = Object.entries(journey.rules.caps).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
          .map(([c, cap]) => `${CHANNEL_EN[c]} ${[cap.per_day && `${cap.per_day} a day`, cap.per_week && `${cap.per_week} a week`].filter(Boolean).join(', ')}`);
        assert.equal(
          (await page.locator('p.crm-bt-rules').textContent()).trim(),
          `Sending rules: no advertising between 21:00 and 08:00 (customer’s time); only to customers who consented; caps ${caps.join('; ')}.`,
        );
        const days = OTHER_DAYS[id];
        const base = { kind: 'journey_backtest_customers', days, journeys: [journey], journey: 0 };
        const result = engine({ kind: 'journey_backtest', days, journeys: [journey] });
        const j = result.journeys[0];
        const panel = page.getByRole('complementary');
        const open = async (button, select, count) => {
          await button.click();
          await panel.locator('h3').waitFor({ timeout: 240_000 });
          const list = engine({ ...base, select });
          if (count !== undefined) assert.equal(list.count, count);
          assert.match(await panel.locator('h3').textContent(), new RegExp(`: ${group(list.count)} customers$`));
          assert.deepEqual(await listedIds(panel), list.customers.slice(0, 50));
          await panel.getByRole('button', { name: 'Close' }).click();
          await panel.waitFor({ state: 'detached' });
        };

        // A message step's customers.
        const node = j.nodes.find((n) => n.type === 'message' && n.customers > 0);
        const stepAt = (await tableRows(page.locator('table.crm-bt-steps'))).findIndex((r) => r[0].endsWith(`(${node.id})`));
        await open(page.locator('table.crm-bt-steps tbody tr').nth(stepAt).getByRole('button'), { count: 'node', node: node.id }, node.customers);
        // A way out of a step.
        const edge = j.edges.find((e) => e.customers > 0 && e.outlet !== 'next') ?? j.edges.find((e) => e.customers > 0);
        const edgeIndex = (await tableRows(page.locator('table.crm-bt-steps'))).findIndex((r, i, rows) => {
          // The edge row after its step's row, in order.
          const stepAt = rows.findIndex((x) => x[0].endsWith(`(${edge.from})`));
          const edges = j.edges.filter((x) => x.from === edge.from);
          return i === stepAt + 1 + edges.indexOf(edge);
        });
        await open(page.locator('table.crm-bt-steps tbody tr').nth(edgeIndex).getByRole('button'), { count: 'edge', node: edge.from, outlet: edge.outlet }, edge.customers);
        // A channel status: the sent messages of the first channel.
        const channel = j.channels.find((c) => c.sent > 0);
        await open(page.getByRole('button', { name: `${CHANNEL_EN[channel.channel]}, Sent: ${group(channel.sent)} — list the customers` }),
          { count: 'channel', channel: channel.channel, status: 'sent' });
        // The busiest calendar day.
        const peak = j.calendar.reduce((a, b) => (b.total > a.total ? b : a));
        await open(page.locator(`table.crm-bt-calendar td[data-date="${peak.date}"] button`), { count: 'day', date: peak.date });
        // One channel's calendar, then a day of it.
        await page.getByRole('combobox', { name: 'Channel shown' }).selectOption(channel.channel);
        await page.getByRole('table', { name: `Messages sent per day: ${CHANNEL_EN[channel.channel]}` }).waitFor();
        assert.deepEqual(await calendarDays(page), Object.fromEntries(j.calendar.map((d) => [d.date, group(d.counts[channel.channel])])));
        const busiest = j.calendar.reduce((a, b) => (b.counts[channel.channel] > a.counts[channel.channel] ? b : a));
        await open(page.locator(`table.crm-bt-calendar td[data-date="${busiest.date}"] button`), { count: 'day', date: busiest.date, channel: channel.channel });
        // Goal: those messaged who reached it.
        await open(page.getByRole('button', { name: `Messaged, reached the goal: ${group(j.goal.treated_reached)} — list the customers` }),
          { count: 'goal', group: 'treated', reached: true });

        await open(page.getByRole('button', { name: `Messaged, did not reach it: ${group(j.goal.treated - j.goal.treated_reached)} — list the customers` }),
          { count: 'goal', group: 'treated', reached: false });
        if (j.goal.control_reached > 0) {
          await open(page.getByRole('button', { name: `Control, reached the goal: ${group(j.goal.control_reached)} — list the customers` }),
            { count: 'goal', group: 'control', reached: true });
        }

        // Changing the days marks the result stale until it runs again.
        await page.getByRole('spinbutton', { name: 'Days of history' }).fill('60');
        await page.locator('.crm-bt-stale').waitFor();
        assertNoErrors(errors, id);
      } finally {
        await context.close();
      }
    });
  }

  test('caps count across a saved journey replayed alongside', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const other = { ...TEMPLATES.win_back, name: 'Saved win-back' };
      const now = '2026-11-01T00:00:00+09:00';
      await context.addInitScript(([item]) => {
        if (!localStorage.getItem('crm-lens:saved:journeys')) localStorage.setItem('crm-lens:saved:journeys', JSON.stringify(item));
      }, [[
        { id: 'saved-win-back', name: 'Saved win-back', description: '', owner: null, created_at: now, updated_at: now, version: 1, definition: other },
        { id: 'saved-broken', name: 'Broken draft', description: '', owner: null, created_at: now, updated_at: now, version: 1, definition: { ...other, name: 'Broken draft', start: 'nowhere' } },
        { id: 'saved-junk', name: 'Not a journey', description: '', owner: null, created_at: now, updated_at: now, version: 1, definition: { hello: 1 } },
      ]]);
      await page.goto(`${env.server.url}/journeys/designer?template=cart_consultation`);
      // One that does not read as a journey cannot be ticked.
      assert.ok(await page.getByRole('checkbox', { name: 'Not a journey (cannot be read)' }).isDisabled());
      // One with a validation error is refused with the engine's reason, naming it.
      await page.getByRole('checkbox', { name: 'Broken draft' }).check();
      await page.getByRole('button', { name: 'Run backtest' }).click();
      await page.getByRole('alert').filter({
        hasText: 'The saved journey “Broken draft” cannot be replayed alongside: start: no step has the id "nowhere". Untick it to run the backtest.',
      }).waitFor({ timeout: 240_000 });
      await page.getByRole('checkbox', { name: 'Broken draft' }).uncheck();
      await page.getByRole('checkbox', { name: 'Saved win-back' }).check();
      await run(page, 90);
      const alone = engine({ kind: 'journey_backtest', days: 90, journeys: [TEMPLATES.cart_consultation] });
      const both = engine({ kind: 'journey_backtest', days: 90, journeys: [TEMPLATES.cart_consultation, other] });
      const held = (r) => r.journeys[0].channels.reduce((s, c) => s + c.held_by_cap, 0);
      assert.ok(held(both) > held(alone), 'the saved journey takes up the kakao and email caps');
      await page.getByText('Frequency caps also counted the messages of “Saved win-back”; the numbers are this journey’s.').waitFor();
      await checkNumbers(page, both);
      // Unticking it makes the result stale.
      await page.getByRole('checkbox', { name: 'Saved win-back' }).uncheck();
      await page.locator('.crm-bt-stale').waitFor();
      assertNoErrors(errors, 'caps across journeys');
    } finally {
      await context.close();
    }
  });

  test('the calendar follows the week start setting (Sunday first)', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(`${env.server.url}/journeys/designer?template=win_back`);
      await page.getByRole('button', { name: 'Run backtest' }).waitFor({ timeout: 120_000 });
      // Settings through the app's own navigation (the setting lives in the running app).
      await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('combobox', { name: 'Week starts on' }).selectOption('sunday');
      await page.goBack();
      await run(page, 30);
      const heads = await page.locator('table.crm-bt-calendar thead th').allTextContents();
      assert.deepEqual(heads, ['Week of', 'Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
      const result = engine({ kind: 'journey_backtest', days: 30, week_start: 'sunday', journeys: [TEMPLATES.win_back] });
      assert.equal(result.week_start, 'sunday');
      await checkNumbers(page, result);
      // Each row starts on a Sunday.
      const firstDays = await page.locator('table.crm-bt-calendar tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td[data-date]')?.dataset.date));
      const sundays = firstDays.slice(1).map((d) => new Date(`${d}T12:00:00Z`).getUTCDay());
      assert.ok(sundays.length > 2 && sundays.every((d) => d === 0), `rows start on Sundays: ${firstDays}`);
      assertNoErrors(errors, 'week start');
    } finally {
      await context.close();
    }
  });

  test('a journey with an error is refused with a clear message', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(`${env.server.url}/journeys/designer?template=signup_coupon`);
      const field = page.getByRole('spinbutton', { name: 'Days of history' });
      await field.fill('0');
      await page.getByRole('alert').filter({ hasText: 'Enter a whole number of days from 1 to 3,660.' }).waitFor();
      assert.ok(await page.getByRole('button', { name: 'Run backtest' }).isDisabled());
      assertNoErrors(errors, 'bad days');
    } finally {
      await context.close();
    }
  });

  for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
    test(`${lang}: axe finds nothing serious on the backtest`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale });
      try {
        await page.goto(`${env.server.url}/journeys/designer?template=signup_coupon`);
        const runName = lang === 'en' ? 'Run backtest' : '백테스트 실행';
        await page.getByRole('button', { name: runName }).click();
        await page.locator('table.crm-bt-calendar').waitFor({ timeout: 240_000 });
        // A day's customers open too, so the panel is checked as well.
        await page.locator('table.crm-bt-calendar td[data-date] button').first().click();
        await page.getByRole('complementary').locator('h3').waitFor({ timeout: 240_000 });
        await page.addScriptTag({ path: path.join(E2E_DIR, 'node_modules/axe-core/axe.min.js') });
        const results = await page.evaluate(() => window.axe.run(document.querySelector('.crm-lens')));
        const serious = results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.html}`);
        assert.deepEqual(serious, []);
        await page.getByRole('complementary').getByRole('button', { name: lang === 'en' ? 'Close' : '닫기' }).click();
        await screenshot(page, 'journey-backtest', lang);
        assertNoErrors(errors, lang);
      } finally {
        await context.close();
      }
    });
  }
});
