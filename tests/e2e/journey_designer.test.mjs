// Journey designer: the sources' three journeys built through the UI from a new journey (the
// sign-up one with the keyboard alone) equal the templates (ids normalised) and backtest the
// same in the engine; the visible entries equal the engine's; a saved journey reopens from
// `?saved=`; an error shows at the step and in the checks, "Go to" moves the focus there, and it
// blocks saving while a warning does not; axe finds nothing serious in both languages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';

import { E2E_DIR, REPO_ROOT, TEST_TIMEOUT, assertNoErrors, eventually, openPage, savedDefinition, screenshot, useAppAndBrowser, runQuery } from './helpers.mjs';


const engine = runQuery;

async function axeViolations(page) {
  await page.addScriptTag({ path: path.join(E2E_DIR, 'node_modules/axe-core/axe.min.js') });
  const results = await page.evaluate(() => window.axe.run(document.querySelector('.crm-lens') ?? document));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.html}`);
}

// --- Journeys as data -------------------------------------------------------------------

const OUTLETS = { delay: ['next'], message: ['next'], wait: ['next', 'timeout_next'], branch: ['yes', 'no'], exit: [] };

/** Node ids renamed n0, n1 … breadth-first from the start (outlets in order); nodes sorted. */
function normalise(journey) {
  const byId = new Map(journey.nodes.map((n) => [n.id, n]));
  const targets = (n) => (n.type === 'split' ? n.paths.map((p) => p.next) : OUTLETS[n.type].map((k) => n[k]));
  const map = new Map();
  const queue = [journey.start];
  while (queue.length) {
    const id = queue.shift();
    if (!byId.has(id) || map.has(id)) continue;
    map.set(id, `n${map.size}`);
    queue.push(...targets(byId.get(id)).filter(Boolean));
  }
  for (const n of journey.nodes) if (!map.has(n.id)) map.set(n.id, `u${map.size}`);
  const rename = (id) => (id == null ? id : map.get(id) ?? `missing:${id}`);
  const nodes = journey.nodes
    .map((n) => {
      const c = structuredClone(n);
      c.id = rename(n.id);
      for (const k of ['next', 'timeout_next', 'yes', 'no']) if (k in c) c[k] = rename(c[k]);
      c.paths?.forEach((p) => { if ('next' in p) p.next = rename(p.next); });
      return c;
    })
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return { journey: { ...journey, start: rename(journey.start), nodes }, map };
}

/** The engine's backtest of one journey, node ids renamed as `normalise` does. */
function backtest(journey) {
  const { map } = normalise(journey);
  const result = engine({ kind: 'journey_backtest', days: 90, journeys: [journey] });
  for (const j of result.journeys) {
    j.nodes = j.nodes.map((n) => ({ ...n, id: map.get(n.id) })).sort((a, b) => a.id.localeCompare(b.id));
    j.edges = j.edges
      .map((e) => ({ ...e, from: map.get(e.from), to: e.to == null ? e.to : map.get(e.to) }))
      .sort((a, b) => `${a.from}/${a.outlet}`.localeCompare(`${b.from}/${b.outlet}`));
  }
  return result;
}

// --- The page ---------------------------------------------------------------------------

const shownJson = async (page) => JSON.parse(await page.getByTestId('journey-json').textContent());
const focused = (page) => page.evaluate(() => document.activeElement?.id ?? '');
const expectFocus = (page, id, what) =>
  eventually(async () => assert.equal(await focused(page), id), { what, timeout: 10_000 });

async function openDesigner(page, server, query = '') {
  await page.goto(`${server.url}/journeys/designer${query}`);
  await page.getByTestId('checks-status').waitFor({ timeout: 120_000 });
}

/** The template as the page serialises it (`?template=`). */
async function templateJson(page, server, id) {
  await openDesigner(page, server, `?template=${id}`);
  return shownJson(page);
}

/** Both journeys equal after normalising ids, and the engine backtests them the same. */
function assertSameJourney(built, template, what) {
  assert.deepEqual(normalise(built).journey, normalise(template).journey, `${what}: journey`);
  const [a, b] = [backtest(built), backtest(template)];
  assert.ok(a.journeys[0].entries > 0, `${what}: the backtest has entries`);
  assert.deepEqual(a, b, `${what}: backtest`);
}

const card = (page, id) => page.locator(`section[data-node="${id}"]`);
const byId = (page, id) => page.locator(`[id="${id}"]`);

// Keyboard-only helpers: focus a control, then keys.
async function keyType(page, id, text) {
  await byId(page, id).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}
async function keyPress(page, id, key) {
  await byId(page, id).focus();
  await page.keyboard.press(key);
}
/** Adds a step of `kind` (typed into the kind select) after an outlet; the focus lands on it. */
async function keyAddStep(page, node, outlet, kindText, newId) {
  await byId(page, `jd-${node}-o${outlet}-kind`).focus();
  await page.keyboard.type(kindText);
  await keyPress(page, `jd-${node}-o${outlet}-add`, 'Enter');
  await expectFocus(page, `jd-node-${newId}`, `focus on the new ${kindText} step`);
}

// Mouse helpers.
async function addStep(page, node, outlet, kind) {
  await byId(page, `jd-${node}-o${outlet}-kind`).selectOption(kind);
  await byId(page, `jd-${node}-o${outlet}-add`).click();
}
async function fillMessage(page, id, { channel, name, content }) {
  await byId(page, `jd-${id}-channel`).selectOption(channel);
  await byId(page, `jd-${id}-name`).fill(name);
  await byId(page, `jd-${id}-content`).fill(content);
  await byId(page, `jd-${id}-advertising`).check();
}
async function setCaps(page, caps) {
  for (const [channel, [day, week]] of Object.entries(caps)) {
    await byId(page, `jd-cap-${channel}-day`).fill(String(day));
    await byId(page, `jd-cap-${channel}-week`).fill(String(week));
  }
}
const label = (scope, name) => scope.getByLabel(name, { exact: true });

describe('journey designer', () => {
  const env = useAppAndBrowser();

  test('the sign-up journey built with the keyboard alone equals the template, backtests the same, saves and reopens', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const template = await templateJson(page, env.server, 'signup_coupon');
      const tpl = Object.fromEntries(template.nodes.map((n) => [n.id, n]));
      await keyPress(page, 'jd-new', 'Enter');
      await eventually(async () => assert.equal((await shownJson(page)).nodes.length, 0), { what: 'new journey', timeout: 10_000 });
      await keyType(page, 'jd-name', template.name);
      // Entry: sign-up is the new journey's default; goal: a purchase within 7 days.
      await keyPress(page, 'jd-has-goal', 'Space');
      await byId(page, 'jd-goal-days').waitFor();
      await keyType(page, 'jd-cap-sms-day', '1');
      await keyType(page, 'jd-cap-sms-week', '2');
      // 1. The coupon (Kakao is the default channel).
      await keyPress(page, 'jd-add-first', 'Enter');
      await expectFocus(page, 'jd-node-message', 'focus on the first step');
      await keyType(page, 'jd-message-name', tpl.coupon.name);
      await keyType(page, 'jd-message-content', tpl.coupon.content);
      await keyPress(page, 'jd-message-advertising', 'Space');
      // 2. Two days later …
      await keyAddStep(page, 'message', 0, 'Delay', 'delay');
      await keyType(page, 'jd-delay-duration', '2');
      // 3. … did they buy?
      await keyAddStep(page, 'delay', 0, 'Branch', 'branch');
      await keyPress(page, 'jd-branch-rules', 'Enter');
      await keyPress(page, 'sb-root-add-rule', 'Enter');
      await expectFocus(page, 'sb-0-kind', 'the new rule takes the focus');
      await byId(page, 'sb-0-event').focus();
      await page.keyboard.type('Purchase');
      await eventually(async () => assert.match(await card(page, 'branch').getByTestId('rule-sentence').textContent(), /Purchase/i), { what: 'condition', timeout: 10_000 });
      await keyPress(page, 'jd-branch-rules', 'Enter');
      // Yes: done. No: the SMS, which then ends at the same exit.
      await keyAddStep(page, 'branch', 0, 'Exit', 'exit');
      await keyAddStep(page, 'branch', 1, 'Message', 'message_2');
      await byId(page, 'jd-message_2-channel').focus();
      await page.keyboard.type('SMS');
      await keyType(page, 'jd-message_2-name', tpl.sms.name);
      await keyType(page, 'jd-message_2-content', tpl.sms.content);
      await keyPress(page, 'jd-message_2-advertising', 'Space');
      await byId(page, 'jd-message_2-o0').focus();
      for (let i = 0; i < 8 && (await byId(page, 'jd-message_2-o0').inputValue()) !== 'exit'; i++) {
        await page.keyboard.press('ArrowDown');
        await expectFocus(page, 'jd-message_2-o0', 'the focus stays on the link');
      }
      assert.equal(await byId(page, 'jd-message_2-o0').inputValue(), 'exit');

      await eventually(async () => assert.deepEqual(normalise(await shownJson(page)).journey, normalise(template).journey), { what: 'built = template', timeout: 10_000 });
      const built = await shownJson(page);
      assertSameJourney(built, template, 'signup_coupon');
      await eventually(async () => assert.match(await page.getByTestId('checks-status').textContent(), /No problems|Errors: 0/), { what: 'checks', timeout: 10_000 });
      // The preview renders the content for a real customer.
      const preview = await card(page, 'message').getByTestId('message-preview').textContent();
      assert.ok(!preview.includes('{{') && preview.endsWith(tpl.coupon.content.split('}}')[1]), preview);

      // The backtest view's entries equal the engine's.
      const expected = engine({ kind: 'journey_backtest', days: 90, journeys: [built] }).journeys[0].entries;
      await page.getByRole('button', { name: 'Run backtest' }).click();
      await eventually(async () => {
        const text = await page.locator('main').textContent();
        assert.match(text, new RegExp(`Entries\\D{0,4}${expected.toLocaleString('en-US')}\\b`));
      }, { what: 'entries', timeout: 20_000 });

      // Save (Enter in the bar's name field), reload, reopen from ?saved=.
      await keyPress(page, 'jd-name', 'Tab'); // leave the field
      const nameField = page.getByRole('textbox', { name: 'Name', exact: true });
      await eventually(async () => assert.equal(await nameField.inputValue(), template.name), { what: 'proposed name', timeout: 10_000 });
      await nameField.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: `Saved “${template.name}”` }).waitFor();
      const savedId = await page.evaluate((name) => {
        const found = [];
        const walk = (v) => {
          if (Array.isArray(v)) return v.forEach(walk);
          if (v && typeof v === 'object') {
            if (v.name === name && typeof v.id === 'string' && v.definition) found.push(v.id);
            Object.values(v).forEach(walk);
          }
        };
        for (const key of Object.keys(localStorage)) {
          if (key.startsWith('crm-lens:saved:')) {
            try { walk(JSON.parse(localStorage.getItem(key))); } catch { /* not JSON */ }
          }
        }
        return found[0];
      }, template.name);
      assert.ok(savedId, 'the saved journey is in the browser store');
      await page.reload();
      await openDesigner(page, env.server, `?saved=${encodeURIComponent(savedId)}`);
      await eventually(async () => assert.deepEqual(await shownJson(page), built), { what: 'reopened', timeout: 20_000 });
      await card(page, 'message_2').waitFor();
      assertNoErrors(errors, 'signup');
    } finally {
      await context.close();
    }
  });

  test('the win-back journey (segment entry, A/B split with control, wait with timeout, a join) equals the template', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const template = await templateJson(page, env.server, 'win_back');
      const tpl = Object.fromEntries(template.nodes.map((n) => [n.id, n]));
      await byId(page, 'jd-new').click();
      await byId(page, 'jd-name').fill(template.name);
      // Entry: visited before, but not in the last 14 days.
      await byId(page, 'jd-entry-kind').selectOption('segment');
      // The rule editor opens with the segment entry.
      await eventually(async () => assert.equal(await byId(page, 'jd-entry-rules').getAttribute('aria-expanded'), 'true'), { what: 'rule editor open', timeout: 10_000 });
      await label(page, 'Add rule: Whole segment').click();
      await label(page, 'Event: Rule 1').selectOption('visit');
      await label(page, 'Add rule: Whole segment').click();
      await label(page, 'Rule type: Rule 2').selectOption('not_performed');
      await label(page, 'Event: Rule 2').selectOption('visit');
      await label(page, 'When: Rule 2').selectOption('last_days');
      await label(page, 'When (Days): Rule 2').fill('14');
      await byId(page, 'jd-entry-rules').click();
      await byId(page, 'jd-reentry').selectOption('after_finish');
      await byId(page, 'jd-has-goal').check();
      await label(page.locator('.jd-settings'), 'Goal event').selectOption('visit');
      await byId(page, 'jd-goal-days').fill('14');
      await setCaps(page, { kakao: [1, 2], email: [1, 3], push: [2, 5] });
      // The split: 45 / 45 and a 10% control group.
      await byId(page, 'jd-add-first-kind').selectOption('split');
      await byId(page, 'jd-add-first').click();
      await byId(page, 'jd-split-p0-percent').fill('45');
      await byId(page, 'jd-split-p1-percent').fill('45');
      await byId(page, 'jd-split-control').fill('10');
      // A: Kakao, then wait up to 7 days for a visit.
      await addStep(page, 'split', 0, 'message');
      await fillMessage(page, 'message', { channel: 'kakao', name: tpl.kakao.name, content: tpl.kakao.content });
      await addStep(page, 'message', 0, 'wait');
      const wait = card(page, 'wait');
      await wait.getByLabel(/^Event to wait for/).first().selectOption('visit');
      await byId(page, 'jd-wait-timeout').fill('7');
      await addStep(page, 'wait', 0, 'exit');
      await addStep(page, 'wait', 1, 'message');
      await fillMessage(page, 'message_2', { channel: 'push', name: tpl.push.name, content: tpl.push.content });
      await addStep(page, 'message_2', 0, 'exit');
      // B: email, joining the same wait.
      await addStep(page, 'split', 1, 'message');
      await fillMessage(page, 'message_3', { channel: 'email', name: tpl.email.name, content: tpl.email.content });
      await byId(page, 'jd-message_3-o0').selectOption('wait');
      await eventually(async () => assert.deepEqual(normalise(await shownJson(page)).journey, normalise(template).journey), { what: 'built = template', timeout: 10_000 });
      assertSameJourney(await shownJson(page), template, 'win_back');
      assertNoErrors(errors, 'win_back');
    } finally {
      await context.close();
    }
  });

  test('the cart journey (event entry, cooldown, exit event, hour and day delays) equals the template', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const template = await templateJson(page, env.server, 'cart_consultation');
      const tpl = Object.fromEntries(template.nodes.map((n) => [n.id, n]));
      await byId(page, 'jd-new').click();
      await byId(page, 'jd-name').fill(template.name);
      await label(page.locator('.jd-settings'), 'Entry event').selectOption('cart_add');
      await byId(page, 'jd-reentry').selectOption('cooldown');
      await byId(page, 'jd-cooldown').fill('7');
      await byId(page, 'jd-add-exit').click();
      await label(page.locator('.jd-settings'), 'Exit event 1').selectOption('purchase');
      await byId(page, 'jd-has-goal').check();
      await setCaps(page, { kakao: [1, 3], email: [1, 3] });
      await byId(page, 'jd-add-first-kind').selectOption('delay');
      await byId(page, 'jd-add-first').click();
      await byId(page, 'jd-delay-duration').fill('1');
      await byId(page, 'jd-delay-duration-unit').selectOption('hours');
      await addStep(page, 'delay', 0, 'message');
      await fillMessage(page, 'message', { channel: 'kakao', name: tpl.consult.name, content: tpl.consult.content });
      await addStep(page, 'message', 0, 'delay');
      await addStep(page, 'delay_2', 0, 'message');
      await fillMessage(page, 'message_2', { channel: 'email', name: tpl.coupon.name, content: tpl.coupon.content });
      await addStep(page, 'message_2', 0, 'exit');
      await eventually(async () => assert.deepEqual(normalise(await shownJson(page)).journey, normalise(template).journey), { what: 'built = template', timeout: 10_000 });
      assertSameJourney(await shownJson(page), template, 'cart_consultation');
      assertNoErrors(errors, 'cart');
    } finally {
      await context.close();
    }
  });

  test('a dead end warns, an unknown placeholder is an error that blocks saving; Go to moves the focus', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openDesigner(page, env.server, '?template=signup_coupon');
      const save = page.getByRole('button', { name: 'Save', exact: true });
      await eventually(async () => assert.equal(await save.isEnabled(), true), { what: 'save enabled', timeout: 10_000 });
      // Deleting the SMS leaves the branch's "No" leading nowhere: a warning.
      await card(page, 'sms').getByRole('button', { name: /^Delete step/ }).click();
      await expectFocus(page, 'jd-node-done', 'focus moves to the step before');
      await eventually(async () => assert.match(await card(page, 'bought').textContent(), /An outlet leads nowhere/), { what: 'dead end at the step', timeout: 10_000 });
      assert.match(await page.getByTestId('checks-status').textContent(), /Errors: 0 · warnings: 1/);
      assert.equal(await save.isEnabled(), true, 'warnings do not block saving');
      // An unknown placeholder is an error: at the step, in the preview, in the checks; saving is blocked.
      await byId(page, 'jd-coupon-content').fill('{{name}}님, {{shoe_size}} 쿠폰');
      await eventually(async () => assert.match(await page.getByTestId('checks-status').textContent(), /Errors: 1/), { what: 'error', timeout: 10_000 });
      assert.match(await card(page, 'coupon').textContent(), /Unknown placeholders: shoe_size/);
      assert.equal(await save.isEnabled(), false, 'errors block saving');
      assert.match(await page.locator('.crm-defbar').textContent(), /Fix the errors before saving \(errors: 1\)/);
      await page.locator('.jd-checks li.jd-error').getByRole('button', { name: /^Go to: Step 1/ }).click();
      await expectFocus(page, 'jd-node-coupon', 'Go to focuses the step');
      // An unreachable step is flagged on its card.
      await byId(page, 'jd-coupon-o0').selectOption('');
      await eventually(async () => assert.match(await card(page, 'two_days').textContent(), /Not reachable from the start/), { what: 'unreachable', timeout: 10_000 });
      assertNoErrors(errors, 'validation');
    } finally {
      await context.close();
    }
  });

  test('date entry, quiet hours, consent, the time-zone attribute, a loop without a delay, a new start and split paths reach the journey', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openDesigner(page, env.server, '?template=signup_coupon');
      const json = () => shownJson(page);
      const expectJson = (check, what) => eventually(async () => check(await json()), { what, timeout: 10_000 });
      // Contract end − 90 days at 10:00.
      await byId(page, 'jd-entry-kind').selectOption('date');
      await byId(page, 'jd-entry-attribute').selectOption('contract_end');
      await byId(page, 'jd-entry-offset').fill('-90');
      await byId(page, 'jd-entry-hour').fill('10');
      await expectJson((j) => assert.deepEqual(j.entry, { type: 'date', attribute: 'contract_end', offset_days: -90, yearly: false, hour: 10 }), 'date entry');
      await byId(page, 'jd-entry-attribute').selectOption('birthday');
      await byId(page, 'jd-entry-yearly').check();
      await expectJson((j) => assert.equal(j.entry.yearly && j.entry.attribute === 'birthday', true), 'birthday');
      // Quiet hours off, on again (21:00–08:00), then from 22:00; consent off.
      await byId(page, 'jd-quiet-on').uncheck();
      await expectJson((j) => assert.equal(j.rules.quiet_hours, null), 'quiet hours off');
      await byId(page, 'jd-quiet-on').check();
      await expectJson((j) => assert.deepEqual(j.rules.quiet_hours, { start: '21:00', end: '08:00' }), 'default quiet hours');
      await byId(page, 'jd-quiet-start').fill('22:00');
      await byId(page, 'jd-consent').uncheck();
      await expectJson((j) => {
        assert.deepEqual(j.rules.quiet_hours, { start: '22:00', end: '08:00' });
        assert.equal(j.rules.respect_consent, false);
      }, 'quiet from 22:00, consent off');
      // The customers' time zone: the demo has no `time_zone` attribute, so the default says so;
      // any text attribute, or none (everyone in the app's zone), can be chosen.
      const zone = page.getByRole('combobox', { name: "Customers' time zone from" });
      assert.equal(await zone.locator('option:checked').textContent(), 'time_zone (not in this data)');
      await zone.selectOption({ label: 'No attribute: everyone in Asia/Seoul' });
      await expectJson((j) => assert.equal(j.rules.time_zone_attribute, ''), 'no zone attribute');
      await zone.selectOption('region');
      await expectJson((j) => assert.equal(j.rules.time_zone_attribute, 'region'), 'zone from region');
      // The SMS back to the branch: a loop without a delay is an error that blocks saving.
      await byId(page, 'jd-sms-o0').selectOption('bought');
      await eventually(async () => assert.match(await page.locator('.jd-checks').textContent(), /A loop without a delay or wait could repeat forever/), { what: 'cycle', timeout: 10_000 });
      assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).isEnabled(), false);
      await byId(page, 'jd-sms-o0').selectOption('done');
      // A new start: the coupon is no longer reachable.
      await byId(page, 'jd-two_days-start').click();
      await expectFocus(page, 'jd-node-two_days', 'focus follows the new start');
      await expectJson((j) => assert.equal(j.start, 'two_days'), 'start');
      assert.match(await card(page, 'coupon').textContent(), /Not reachable from the start/);
      // A split before the first step: add a path, remove the first.
      await byId(page, 'jd-add-first-kind').selectOption('split');
      await byId(page, 'jd-add-first').click();
      await expectFocus(page, 'jd-node-split', 'focus on the new split');
      await byId(page, 'jd-split-add-path').click();
      await expectFocus(page, 'jd-split-p2-label', 'focus on the new path');
      await page.getByRole('button', { name: /^Remove path 1/ }).click();
      await expectJson((j) => {
        assert.equal(j.start, 'split');
        const split = j.nodes.find((n) => n.id === 'split');
        assert.deepEqual(split.paths.map((p) => [p.label, p.percent, p.next ?? null]), [['B', 50, null], ['C', 0, null]]);
      }, 'split paths');
      await eventually(async () => assert.match(await card(page, 'split').textContent(), /must add up to 100/), { what: 'split sum', timeout: 10_000 });
      assertNoErrors(errors, 'edits');
    } finally {
      await context.close();
    }
  });

  test('a branch refers to a saved segment by id; the checks and the backtest resolve it as the engine does', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      // A saved segment: the VIP template under a name of its own.
      await page.goto(`${env.server.url}/segments?template=vip_revenue`);
      await page.getByLabel('Name', { exact: true }).fill('Big spenders');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await eventually(async () => assert.match(page.url(), /[?&]saved=/), { what: 'saved id in the URL', timeout: 20_000 });
      const id = new URL(page.url()).searchParams.get('saved');
      const rule = await savedDefinition(page, 'Big spenders');

      // Sign-up → coupon → day-2 SMS, whose branch now also asks "member of Big spenders".
      const template = backtest(await templateJson(page, env.server, 'signup_coupon'));
      await byId(page, 'jd-bought-rules').click();
      await label(page, 'Add rule: Whole segment').click();
      await label(page, 'Rule type: Rule 2').selectOption('segment');
      await label(page, 'Segment: Rule 2').selectOption({ label: 'Big spenders' });
      const json = await eventually(async () => {
        const j = await shownJson(page);
        const branch = j.nodes.find((n) => n.id === 'bought');
        assert.deepEqual(branch.condition.rules?.at(-1), { rule: 'segment', id });
        return j;
      }, { what: 'the branch refers to the saved segment', timeout: 10_000 });
      await eventually(async () => assert.match(await page.getByTestId('checks-status').textContent(), /No problems found/), { what: 'the reference resolves in the checks', timeout: 10_000 });

      // The backtest resolves it as the engine does with the same segment, and it matters: a
      // branch on "bought and a big spender" sends more day-2 SMS than the template's.
      const withRef = engine({ kind: 'journey_backtest', days: 90, journeys: [json], segments: { [id]: rule } });
      const sent = (r) => r.journeys[0].calendar.reduce((s, d) => s + d.total, 0);
      assert.ok(sent(withRef) > sent(template), `${sent(withRef)} messages with the reference, ${sent(template)} without`);
      await page.getByRole('button', { name: 'Run backtest' }).click();
      const lead = page.locator('.crm-bt-lead');
      await lead.waitFor({ timeout: 240_000 });
      const j = withRef.journeys[0];
      assert.match(await lead.textContent(), new RegExp(`reached ${j.customers.toLocaleString('en-US')} customers .* sent ${sent(withRef).toLocaleString('en-US')} messages`));
      assertNoErrors(errors, 'segment reference');
    } finally {
      await context.close();
    }
  });

  for (const lang of ['en', 'ko']) {
    test(`${lang}: axe finds nothing serious; screenshot`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
      try {
        await openDesigner(page, env.server, '?template=signup_coupon');
        await card(page, 'bought').getByRole('button', { name: lang === 'ko' ? /세그먼트 규칙 편집/ : /Edit segment rules/ }).click();
        await page.locator('.jd-rule-builder').waitFor();
        assert.deepEqual(await axeViolations(page), [], 'designer');
        await screenshot(page, 'journey-designer', lang);
        assertNoErrors(errors, `${lang} designer`);
      } finally {
        await context.close();
      }
    });
  }
});
