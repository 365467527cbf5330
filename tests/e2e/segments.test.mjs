// The Segments and Customers pages: every template built through the builder's controls (not
// loaded) counts what the engine counts (crm-lens-query on the demo data); a nested rule is built
// with the keyboard alone and the focus follows every move; the "Done when" segment is built in
// Korean from scratch, exported as CSV and reopened from its URL; a customer's timeline equals
// the raw data; the member table stays virtual; axe finds nothing serious. Screenshots in en/ko.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  parseNumber,
  screenshot,
  useAppAndBrowser,
  runQuery,
} from './helpers.mjs';

const DEMO = path.join(REPO_ROOT, 'public/demo');

/** The engine's segment result for a rule on the demo data (templates as the library). */
const engine = (rule, segments = {}) => runQuery({ kind: 'segment', rule, include_members: true, segments });

/** The DOMAIN templates, as the engine defines them (engine::segment_templates). */
const TEMPLATES = {
  win_back: { rule: 'not_performed', event: { event: 'visit' }, window: { last_days: 14 } },
  first_purchase_nudge: { rule: 'not_followed_by', first: { event: 'signup' }, then: { event: 'purchase' }, within: { days: 7 }, window: 'ever' },
  cart_reminder: { rule: 'not_followed_by', first: { event: 'cart_add' }, then: { event: 'purchase' }, within: { days: 1 }, window: { last_days: 30 } },
  vip_revenue: { rule: 'aggregate', event: { event: 'purchase' }, aggregate: 'sum', op: 'gte', value: 1000000, window: { last_days: 365 } },
  service_recovery: {
    rule: 'any',
    rules: [
      { rule: 'performed', event: { event: 'nps_response', where: [{ property: 'score', op: 'lte', value: 6 }] }, count: { op: 'gte', value: 1 }, window: { last_days: 180 } },
      { rule: 'attribute', attribute: 'satisfaction', op: 'lte', value: 2 },
    ],
  },
  renewal: { rule: 'attribute', attribute: 'contract_end', op: 'in_next_days', days: 90 },
  discount_hunters: {
    rule: 'all',
    rules: [
      { rule: 'performed', event: { event: 'purchase', where: [{ property: 'coupon', op: 'exists' }] }, count: { op: 'gte', value: 1 }, window: 'ever' },
      { rule: 'not_performed', event: { event: 'purchase', where: [{ property: 'coupon', op: 'not_exists' }] }, window: 'ever' },
    ],
  },
};
const TEMPLATE_LIBRARY = Object.fromEntries(Object.entries(TEMPLATES));

/** Control names of the builder, per language. */
const L = {
  en: {
    root: 'Whole segment', group: (p) => `Group ${p}`, rule: (p) => `Rule ${p}`,
    addRule: 'Add rule', addGroup: 'Add group', match: 'Customers matching', kind: 'Rule type',
    event: 'Event', first: 'First event', then: 'Then event', attribute: 'Attribute', test: 'Test', value: 'Value',
    days: 'Days', when: 'When', within: 'Within', hours: 'Hours', howOften: 'How often', times: 'Times',
    measure: 'Measure', segment: 'Segment', from: 'From', to: 'Until (not included)', values: 'Values (comma-separated)',
    addCondition: 'Add property condition', condition: (k) => `Condition ${k}`, property: 'Event property',
    remove: 'Remove', up: 'Move up', into: 'Into the group above', out: 'Out of this group',
    blank: 'Start from scratch', csv: 'Download members (CSV)', min: 'From', max: 'To',
  },
  ko: {
    root: '전체 세그먼트', group: (p) => `그룹 ${p}`, rule: (p) => `조건 ${p}`,
    addRule: '조건 추가', addGroup: '그룹 추가', match: '다음 조건을', kind: '조건 종류',
    event: '이벤트', first: '먼저 한 이벤트', then: '다음 이벤트', attribute: '속성', test: '조건', value: '값',
    days: '일수', when: '기간', within: '기간', hours: '시간', howOften: '횟수 조건', times: '횟수',
    measure: '집계', segment: '세그먼트', from: '시작일', to: '종료일 (미포함)', values: '값 (쉼표로 구분)',
    addCondition: '이벤트 속성 조건 추가', condition: (k) => `속성 조건 ${k}`, property: '이벤트 속성',
    remove: '삭제', up: '위로 이동', into: '위 그룹 안으로', out: '그룹 밖으로',
    blank: '처음부터 만들기', csv: '고객 목록 다운로드 (CSV)', min: '최소', max: '최대',
  },
};

const label = (page, name) => page.getByLabel(name, { exact: true });
const pathLabel = (p) => p.map((i) => i + 1).join('.');
const groupName = (t, p) => (p.length === 0 ? t.root : t.group(pathLabel(p)));

/** Builds an event filter's property conditions through the UI. */
async function buildConditions(page, t, name, fieldLabel, filter) {
  for (const [k, c] of (filter.where ?? []).entries()) {
    await label(page, `${t.addCondition}: ${name}, ${fieldLabel}`).click();
    const cname = `${name}, ${fieldLabel}, ${t.condition(k + 1)}`;
    await label(page, `${t.property}: ${cname}`).selectOption(c.property);
    await label(page, `${t.test}: ${cname}`).selectOption(c.op);
    if (c.value !== undefined) await label(page, `${t.value}: ${cname}`).fill(String(c.value));
  }
}

async function buildWindow(page, t, name, window) {
  const w = window ?? 'ever';
  if (w === 'ever') {
    await label(page, `${t.when}: ${name}`).selectOption('ever');
  } else if (w.last_days !== undefined || w.after_signup_days !== undefined) {
    const kind = w.last_days !== undefined ? 'last_days' : 'after_signup_days';
    await label(page, `${t.when}: ${name}`).selectOption(kind);
    await label(page, `${t.when} (${t.days}): ${name}`).fill(String(w[kind]));
  } else {
    await label(page, `${t.when}: ${name}`).selectOption('between');
    await label(page, `${t.from}: ${name}`).fill(w.between.from);
    await label(page, `${t.to}: ${name}`).fill(w.between.to);
  }
}

/** Fills the (new) rule at `p` from its JSON, control by control. */
async function buildLeaf(page, t, p, rule) {
  const name = t.rule(pathLabel(p));
  await label(page, `${t.kind}: ${name}`).selectOption(rule.rule);
  switch (rule.rule) {
    case 'attribute': {
      await label(page, `${t.attribute}: ${name}`).selectOption(rule.attribute);
      await label(page, `${t.test}: ${name}`).selectOption(rule.op);
      if (rule.days !== undefined) await label(page, `${t.days}: ${name}`).fill(String(rule.days));
      if (typeof rule.value === 'boolean') await label(page, `${t.value}: ${name}`).selectOption(String(rule.value));
      else if (rule.value !== undefined) await label(page, `${t.value}: ${name}`).fill(String(rule.value));
      if (rule.min !== undefined) {
        await label(page, `${t.min}: ${name}`).fill(String(rule.min));
        await label(page, `${t.max}: ${name}`).fill(String(rule.max));
      }
      break;
    }
    case 'sequence':
    case 'not_followed_by':
      await label(page, `${t.first}: ${name}`).selectOption(rule.first.event);
      await buildConditions(page, t, name, t.first, rule.first);
      await label(page, `${t.then}: ${name}`).selectOption(rule.then.event);
      await buildConditions(page, t, name, t.then, rule.then);
      await label(page, `${t.within} (${t.days}): ${name}`).fill(String(rule.within.days ?? 0));
      await label(page, `${t.within} (${t.hours}): ${name}`).fill(String(rule.within.hours ?? 0));
      await buildWindow(page, t, name, rule.window);
      break;
    case 'segment':
      await label(page, `${t.segment}: ${name}`).selectOption(rule.id);
      break;
    default: {
      await label(page, `${t.event}: ${name}`).selectOption(rule.event.event);
      await buildConditions(page, t, name, t.event, rule.event);
      if (rule.rule === 'performed' && rule.count) {
        await label(page, `${t.howOften}: ${name}`).selectOption(rule.count.op);
        await label(page, `${t.times}: ${name}`).fill(String(rule.count.value));
      }
      if (rule.rule === 'aggregate') {
        await label(page, `${t.measure}: ${name}`).selectOption(rule.aggregate);
        await label(page, `${t.test}: ${name}`).selectOption(rule.op);
        await label(page, `${t.value}: ${name}`).fill(String(rule.value));
      }
      await buildWindow(page, t, name, rule.window);
    }
  }
}

/** Builds `group`'s rules into the (empty) group at `p`, through the UI. */
async function buildGroup(page, t, p, group) {
  const gname = groupName(t, p);
  await label(page, `${gname}: ${t.match}`).selectOption(group.rule);
  for (const [i, child] of group.rules.entries()) {
    const cp = [...p, i];
    if (['all', 'any', 'none'].includes(child.rule)) {
      await label(page, `${t.addGroup}: ${gname}`).click();
      // A new group starts with one blank rule: remove it, then build.
      await label(page, `${t.remove}: ${t.rule(pathLabel([...cp, 0]))}`).click();
      await buildGroup(page, t, cp, child);
    } else {
      await label(page, `${t.addRule}: ${gname}`).click();
      await buildLeaf(page, t, cp, child);
    }
  }
}

/** Starts from scratch and builds `rule` (a group, or one rule put in the root group). */
async function build(page, lang, rule) {
  const t = L[lang];
  await page.getByRole('button', { name: t.blank, exact: true }).click();
  const root = ['all', 'any', 'none'].includes(rule.rule) ? rule : { rule: 'all', rules: [rule] };
  await buildGroup(page, t, [], root);
  return root;
}

const shownCount = async (page) => parseNumber(await page.getByTestId('segment-count').textContent());
/** The rule the page holds, from its URL. */
const urlRule = (page) => JSON.parse(new URL(page.url()).searchParams.get('rule') ?? 'null');

async function waitForCount(page, expected, what) {
  await eventually(async () => assert.equal(await shownCount(page), expected), { what, timeout: 20_000 });
}

async function openSegments(page, server, query = '') {
  await page.goto(`${server.url}/segments${query}`);
  await page.getByTestId('segment-count').waitFor();
  await eventually(async () => assert.ok(await shownCount(page) > 0), { what: 'the first count' });
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function axeViolations(page) {
  await page.addScriptTag({ path: path.join(E2E_DIR, 'node_modules/axe-core/axe.min.js') });
  const results = await page.evaluate(() => window.axe.run(document.querySelector('.crm-lens') ?? document));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.html}`);
}

describe('segments page', () => {
  const env = useAppAndBrowser();

  test('every template built through the builder counts what the engine counts', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openSegments(page, env.server);
      for (const [id, rule] of Object.entries(TEMPLATES)) {
        const root = await build(page, 'en', rule);
        const expected = engine(rule).count;
        assert.ok(expected > 0, `${id} selects someone`);
        await waitForCount(page, expected, id);
        // The controls produced exactly the template's rule.
        await eventually(async () => assert.deepEqual(urlRule(page), root), { what: `${id} in the URL`, timeout: 10_000 });
        assert.equal(engine(urlRule(page)).count, expected);
        assert.equal(parseNumber(await page.getByTestId('member-count').textContent()), expected, `${id}: listed members`);
        // The one-click template reads the same and counts the same.
        const sentence = await page.getByTestId('segment-sentence').textContent();
        await page.getByRole('button', { name: new RegExp(`^Use template: `) }).nth(Object.keys(TEMPLATES).indexOf(id)).click();
        await waitForCount(page, expected, `${id} template`);
        assert.equal(await page.getByTestId('segment-sentence').textContent(), sentence, `${id}: same sentence`);
      }
      // From a keystroke to the new count, at demo size.
      await build(page, 'en', { rule: 'not_performed', event: { event: 'visit' }, window: { last_days: 14 } });
      await waitForCount(page, engine(TEMPLATES.win_back).count, 'win-back again');
      const input = label(page, 'When (Days): Rule 1');
      const expected30 = engine({ ...TEMPLATES.win_back, window: { last_days: 30 } }).count;
      const started = Date.now();
      await input.fill('30');
      await page.waitForFunction((n) => document.querySelector('[data-testid="segment-count"]').textContent.replace(/,/g, '') === String(n), expected30, { polling: 'raf' });
      const took = Date.now() - started;
      console.log(`keystroke to count: ${took} ms`);
      assert.ok(took < 1000, `count follows the keystroke (${took} ms)`);
      assertNoErrors(errors, 'templates');
    } finally {
      await context.close();
    }
  });

  test('incomplete and impossible rules are marked at the rule and pause the count', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openSegments(page, env.server);
      await page.getByRole('button', { name: 'Start from scratch', exact: true }).click();
      await label(page, 'Add rule: Whole segment').click();
      const rule1 = page.getByRole('group', { name: 'Rule 1', exact: true });
      await eventually(async () => assert.match(await rule1.textContent(), /Choose an event\./), { what: 'incomplete rule', timeout: 10_000 });
      assert.equal(await page.getByTestId('segment-count').textContent(), '—');
      await label(page, 'Event: Rule 1').selectOption('visit');
      await label(page, 'When: Rule 1').selectOption('last_days');
      await label(page, 'When (Days): Rule 1').fill('0');
      await eventually(async () => assert.match(await rule1.textContent(), /above 0/), { what: 'zero days', timeout: 10_000 });
      await label(page, 'When (Days): Rule 1').fill('14');
      await eventually(async () => assert.ok(await shownCount(page) > 0), { what: 'count back', timeout: 10_000 });
      // A between window whose end is before its start.
      await label(page, 'When: Rule 1').selectOption('between');
      await label(page, 'From: Rule 1').fill('2026-06-01');
      await label(page, 'Until (not included): Rule 1').fill('2026-05-01');
      await eventually(async () => assert.match(await rule1.textContent(), /end must come after the start/), { what: 'empty range', timeout: 10_000 });
      assertNoErrors(errors, 'problems');
    } finally {
      await context.close();
    }
  });

  test('a nested rule built with the keyboard alone; the focus follows every move', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openSegments(page, env.server);
      const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
      const expectFocus = (id, what) => eventually(async () => assert.equal(await focused(), id), { what, timeout: 5_000 });
      await page.getByRole('button', { name: 'Start from scratch', exact: true }).press('Enter');
      // Rule 1: did "Visit" at least once, ever.
      await label(page, 'Add rule: Whole segment').press('Enter');
      await expectFocus('sb-0-kind', 'new rule takes the focus');
      await page.keyboard.press('Tab');
      assert.equal(await focused(), 'sb-0-up', 'tab goes on through the rule');
      await label(page, 'Event: Rule 1').focus();
      await page.keyboard.type('Visit');
      await eventually(async () => assert.equal(await label(page, 'Event: Rule 1').inputValue(), 'visit'), { what: 'event by typing', timeout: 5_000 });
      // Group 2 ("any"), its blank rule becomes "did Purchase".
      await label(page, 'Add group: Whole segment').press('Enter');
      await expectFocus('sb-1-match', 'new group takes the focus');
      await page.keyboard.press('ArrowDown');
      await eventually(async () => assert.equal(await label(page, 'Group 2: Customers matching').inputValue(), 'any'), { what: 'any', timeout: 5_000 });
      await expectFocus('sb-1-match', 'focus stays on the match select');
      await label(page, 'Event: Rule 2.1').focus();
      await page.keyboard.type('Purchase');
      // Rule 3 at the root, moved into the group above, then up, out and in again.
      await label(page, 'Add rule: Whole segment').press('Enter');
      await expectFocus('sb-2-kind', 'rule 3');
      await page.keyboard.press('ArrowDown'); // Did not do an event
      await label(page, 'Event: Rule 3').focus();
      await page.keyboard.type('Refund');
      await label(page, 'Into the group above: Rule 3').press('Enter');
      await expectFocus('sb-1-1-into', 'focus follows into the group');
      await page.keyboard.press('Shift+Tab'); // back to "Move down" of Rule 2.2
      await page.keyboard.press('Shift+Tab'); // "Move up"
      assert.equal(await focused(), 'sb-1-1-up');
      await page.keyboard.press('Enter');
      await expectFocus('sb-1-0-up', 'focus follows up');
      assert.equal(await label(page, 'Move up: Rule 2.1').getAttribute('aria-disabled'), 'true', 'first rule cannot move up');
      await page.keyboard.press('Enter'); // aria-disabled: nothing happens, focus stays
      await expectFocus('sb-1-0-up', 'disabled button keeps the focus');
      await label(page, 'Out of this group: Rule 2.1').press('Enter');
      await expectFocus('sb-2-out', 'focus follows out of the group');
      await label(page, 'Into the group above: Rule 3').press('Enter');
      await expectFocus('sb-1-1-into', 'and in again');
      const expected = {
        rule: 'all',
        rules: [
          { rule: 'performed', event: { event: 'visit' }, count: { op: 'gte', value: 1 }, window: 'ever' },
          { rule: 'any', rules: [
            { rule: 'performed', event: { event: 'purchase' }, count: { op: 'gte', value: 1 }, window: 'ever' },
            { rule: 'not_performed', event: { event: 'refund' }, window: 'ever' },
          ] },
        ],
      };
      await eventually(async () => assert.deepEqual(urlRule(page), expected), { what: 'the nested rule', timeout: 10_000 });
      await waitForCount(page, engine(expected).count, 'nested count');
      await screenshot(page, 'segments-keyboard', 'en');
      assertNoErrors(errors, 'keyboard');
    } finally {
      await context.close();
    }
  });

  test('Done when: built in Korean from scratch, counted, exported and reopened from its URL', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'ko-KR' });
    try {
      await openSegments(page, env.server);
      const rule = {
        rule: 'all',
        rules: [
          { rule: 'attribute', attribute: '$created_at', op: 'in_last_days', days: 60 },
          { rule: 'not_followed_by', first: { event: 'signup' }, then: { event: 'purchase' }, within: { days: 7 }, window: 'ever' },
          { rule: 'attribute', attribute: '$consent.email', op: 'eq', value: true },
        ],
      };
      await build(page, 'ko', rule);
      const result = engine(rule);
      assert.ok(result.count > 0 && result.count < result.total, `a real audience (${result.count})`);
      await waitForCount(page, result.count, 'done-when count');
      assert.deepEqual(urlRule(page), rule);
      assert.equal(
        await page.getByTestId('segment-sentence').textContent(),
        '가입일이 최근 60일 이내인, ‘가입’ 후 7일 안에 ‘구매’가 없는, 이메일 수신 동의가 있는 고객',
      );
      await screenshot(page, 'segments-done-when', 'ko');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: L.ko.csv, exact: true }).click(),
      ]);
      const bytes = readFileSync(await download.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const text = bytes.toString('utf8').slice(1);
      assert.ok(text.endsWith('\r\n'), 'CRLF line ends');
      const rows = parseCsv(text);
      assert.deepEqual(rows[0].slice(0, 3), ['고객 ID', '이름', '이메일']);
      assert.equal(rows.length - 1, result.count, 'one row per member');
      assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), [...result.members].sort(), 'exactly the members');
      assert.ok(rows.slice(1).every((r) => r.length === rows[0].length), 'every row has every column');
      assert.ok(rows.slice(1).some((r) => /[가-힣]/.test(r[1])), 'Korean names');
      // Escaping: every field with a comma, quote or line break was quoted; nothing starts a formula.
      const raw = text.split('\r\n').slice(1, -1);
      assert.equal(raw.length, result.count, 'no stray line breaks');
      for (const r of rows.slice(1)) for (const cell of r) assert.ok(!/^[=+@]/.test(cell) && !/^-[^\d]/.test(cell), `neutralised: ${cell}`);

      // Reopened from its URL (a reload, and a fresh tab).
      const url = page.url();
      await page.reload();
      await waitForCount(page, result.count, 'after reload');
      assert.deepEqual(urlRule(page), rule);
      const second = await context.newPage();
      await second.goto(url);
      await waitForCount(second, result.count, 'from the shared URL');
      assert.equal(await label(second, '일수: 조건 1').inputValue(), '60');
      await second.close();

      // Saved through the sync layer ("saved in this browser" in demo mode), then opened from
      // its ?saved=<id> URL in a fresh tab.
      await page.getByLabel('이름', { exact: true }).fill('신규 가입 이메일 넛지');
      await page.getByRole('button', { name: '저장', exact: true }).click();
      await eventually(async () => assert.match(page.url(), /[?&]saved=/), { what: 'saved id in the URL', timeout: 20_000 });
      const savedUrl = page.url();
      assert.ok(!new URL(savedUrl).searchParams.has('rule'), 'the saved segment needs no rule in its URL');
      const third = await context.newPage();
      await third.goto(savedUrl);
      await waitForCount(third, result.count, 'from the saved URL');
      assert.equal(await third.getByTestId('open-segment').textContent(), '신규 가입 이메일 넛지');
      await eventually(async () => assert.deepEqual(urlRule(third) ?? rule, rule), { what: 'saved rule', timeout: 5_000 });
      await third.close();
      assertNoErrors(errors, 'done when');
    } finally {
      await context.close();
    }
  });

  test('a template opened over a saved segment is saved as a new segment, never over it', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openSegments(page, env.server, '?template=win_back');
      await waitForCount(page, engine(TEMPLATES.win_back).count, 'win-back');
      await page.getByLabel('Name', { exact: true }).fill('Lapsed visitors');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await eventually(async () => assert.match(page.url(), /[?&]saved=/), { what: 'saved id in the URL', timeout: 20_000 });
      const firstId = new URL(page.url()).searchParams.get('saved');

      // Another template: the bar lets go of the saved segment and proposes a new name.
      await page.getByRole('button', { name: /^Use template: / }).nth(1).click();
      await eventually(async () => assert.ok(!new URL(page.url()).searchParams.has('saved')), { what: 'no saved id', timeout: 10_000 });
      assert.notEqual(await page.getByLabel('Name', { exact: true }).inputValue(), 'Lapsed visitors');
      await page.getByLabel('Name', { exact: true }).fill('Second segment');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await eventually(async () => {
        const id = new URL(page.url()).searchParams.get('saved');
        assert.ok(id && id !== firstId, 'a new saved id');
      }, { what: 'the second saved id', timeout: 20_000 });

      // Both are saved, and the first still holds the win-back rule.
      const store = JSON.parse(await page.evaluate(() => localStorage.getItem('crm-lens:saved:segments')) ?? 'null');
      const items = [];
      const walk = (v) => {
        if (Array.isArray(v)) return v.forEach(walk);
        if (v && typeof v === 'object') {
          if (typeof v.name === 'string' && v.definition) items.push(v);
          Object.values(v).forEach(walk);
        }
      };
      walk(store);
      const first = items.find((i) => i.name === 'Lapsed visitors');
      assert.ok(first, 'the first segment is still saved');
      assert.ok(items.some((i) => i.name === 'Second segment'), 'the second is saved beside it');
      assert.equal(engine(first.definition).count, engine(TEMPLATES.win_back).count, 'the first keeps its rule');
      assertNoErrors(errors, 'template over saved');
    } finally {
      await context.close();
    }
  });

  test('overlap with another segment and sorting the member table', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await openSegments(page, env.server, '?template=win_back&compare=template:cart_reminder&sort=revenue');
      const a = new Set(engine(TEMPLATES.win_back).members);
      const b = new Set(engine(TEMPLATES.cart_reminder).members);
      const both = [...a].filter((x) => b.has(x)).length;
      await eventually(async () => {
        const counts = (await page.getByTestId('overlap-count').allTextContents()).map(parseNumber);
        assert.deepEqual(counts, [a.size - both, both, b.size - both]);
      }, { what: 'overlap', timeout: 20_000 });
      const firstRevenue = async () => parseNumber(await page.locator('table.crm-members tbody tr:not(.crm-spacer) td').nth(4).textContent());
      const top = await firstRevenue();
      await page.getByRole('button', { name: /^Revenue/ }).click();
      await eventually(async () => assert.ok(await firstRevenue() <= top), { what: 'ascending revenue', timeout: 10_000 });
      assert.match(page.url(), /dir=asc/);
      await page.reload();
      await eventually(async () => assert.equal(await page.locator('th[aria-sort="ascending"]').textContent(), 'Revenue ↑'), { what: 'sort restored', timeout: 60_000 });
      assertNoErrors(errors, 'overlap');
    } finally {
      await context.close();
    }
  });

  for (const [lang, locale] of [['en', 'en-US'], ['ko', 'ko-KR']]) {
    test(`${lang}: axe finds nothing serious on Segments, Customers and a profile`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors } = await openPage(env.browser, { locale });
      try {
        await openSegments(page, env.server, '?template=service_recovery&compare=template:vip_revenue');
        assert.deepEqual(await axeViolations(page), [], 'segments');
        await screenshot(page, 'segments-template', lang);
        await page.goto(`${env.server.url}/customers`);
        await page.locator('table.crm-members tbody tr:not(.crm-spacer)').first().waitFor();
        assert.deepEqual(await axeViolations(page), [], 'customers');
        await screenshot(page, 'customers-table', lang);
        await page.goto(`${env.server.url}/customers/C00001`);
        await page.locator('.crm-day').first().waitFor();
        assert.deepEqual(await axeViolations(page), [], 'profile');
        await screenshot(page, 'customer-profile', lang);
        assertNoErrors(errors, lang);
      } finally {
        await context.close();
      }
    });
  }
});

describe('customers page and profile', () => {
  const env = useAppAndBrowser();

  test('the member table stays virtual and reaches the last customer', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      await page.goto(`${env.server.url}/customers`);
      const rows = page.locator('table.crm-members tbody tr:not(.crm-spacer)');
      await rows.first().waitFor();
      const total = parseNumber(await page.getByTestId('customer-count').textContent());
      assert.equal(total, 6000);
      assert.ok((await rows.count()) <= 40, `few rows in the DOM (${await rows.count()})`);
      const region = page.locator('.crm-vtable');
      const started = Date.now();
      await region.evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await page.locator(`table.crm-members tr[aria-rowindex="${total + 1}"]`).waitFor();
      console.log(`row ${total} reached in ${Date.now() - started} ms`);
      const count = await rows.count();
      assert.ok(count >= 10 && count <= 40, `still few rows (${count})`);
      assert.equal(await page.locator('table.crm-members').getAttribute('aria-rowcount'), String(total + 1));
      // Search by email, then open the profile from its name.
      await page.getByRole('searchbox').fill('jungsubin62@example.com');
      await eventually(async () => assert.equal(parseNumber(await page.getByTestId('customer-count').textContent()), 1), { what: 'search', timeout: 10_000 });
      await page.getByRole('link', { name: '정수빈' }).click();
      await page.waitForURL(/\/customers\/C00001$/);
      await page.getByRole('heading', { level: 1, name: '정수빈' }).waitFor();
      assertNoErrors(errors, 'virtual table');
    } finally {
      await context.close();
    }
  });

  test('a profile timeline equals the raw data, by day and by type', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openPage(env.browser, { locale: 'en-US' });
    try {
      const id = 'C00001';
      const events = JSON.parse(await readFile(path.join(DEMO, 'events.json'), 'utf8')).data.filter((e) => e.customer_id === id);
      const seoulDay = (at) => new Date(Date.parse(at) + 9 * 3600_000).toISOString().slice(0, 10);
      const days = new Set(events.map((e) => seoulDay(e.at)));
      const purchases = events.filter((e) => e.type === 'purchase');
      await page.goto(`${env.server.url}/customers/${id}`);
      await page.locator('.crm-day').first().waitFor();
      const shown = () => page.getByTestId('days-shown').textContent();
      assert.equal(await shown(), `30 of ${days.size} days shown`);
      while (await page.getByRole('button', { name: 'Show older' }).count()) {
        await page.getByRole('button', { name: 'Show older' }).click();
      }
      assert.equal(await shown(), `${days.size} of ${days.size} days shown`);
      assert.equal(await page.locator('.crm-event').count(), events.length, 'every event');
      const dates = await page.locator('.crm-day').evaluateAll((els) => els.map((e) => e.dataset.date));
      assert.deepEqual(dates, [...days].sort().reverse(), 'grouped by local day, newest first');
      // Only purchases: their amounts, in order.
      for (const type of await page.locator('.crm-type-filter input').evaluateAll((els) => els.map((e) => e.dataset.type))) {
        if (type !== 'purchase') await page.locator(`.crm-type-filter input[data-type="${type}"]`).uncheck();
      }
      while (await page.getByRole('button', { name: 'Show older' }).count()) {
        await page.getByRole('button', { name: 'Show older' }).click();
      }
      assert.equal(await page.locator('.crm-event').count(), purchases.length);
      const amounts = (await page.getByTestId('amount').allTextContents()).map(parseNumber);
      const sorted = [...purchases].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).map((e) => e.value);
      assert.deepEqual(amounts, sorted);
      const numbers = await page.getByTestId('key-numbers').textContent();
      assert.match(numbers, new RegExp(`Orders${purchases.length}`), 'orders');
      assertNoErrors(errors, 'profile');
    } finally {
      await context.close();
    }
  });
});
