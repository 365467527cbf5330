// Tests of the e2e harness itself, on small pages made here (no app build needed): the
// checks must pass on a page that keeps the contract and fail on one that does not.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  checkPage,
  controlsWithoutName,
  launchBrowser,
  openPage,
  parseNumber,
  readFigures,
  watchErrors,
} from './helpers.mjs';

const NAV = ['Dashboard', 'Customers', 'Segments', 'Cohorts', 'Journeys', 'Settings'];

// A static page that keeps the Dashboard's contract; `change` breaks one part of it.
function dashboard(change = {}) {
  const nav = NAV.map((n, i) => `<a href="/${i ? n.toLowerCase() : ''}"${i === 0 ? ' aria-current="page"' : ''}>${n}</a>`).join('');
  const figures = change.figures ?? '<dt>Customers</dt><dd>12,345</dd><dt>Events</dt><dd>1.2M</dd>' +
    '<dt>Revenue</dt><dd>₩ 98,765,432</dd><dt>Active customers (30 days)</dt><dd>4,321</dd>';
  const select = change.select ?? '<label>Language <select><option>한국어</option><option selected>English</option></select></label>';
  return `<!doctype html><html lang="en"><body>
    <header>CRM Lens · Demo data · Asia/Seoul ${select}</header>
    <nav>${nav}</nav>
    <main><h1>${change.heading ?? 'Dashboard'}</h1><dl>${figures}</dl>${change.extra ?? ''}</main>
  </body></html>`;
}

describe('e2e harness', () => {
  let browser;
  let ctx;

  before(async () => {
    browser = await launchBrowser();
    ctx = await openPage(browser);
  });

  after(async () => {
    await ctx?.context.close();
    await browser?.close();
  });

  const load = (html) => ctx.page.setContent(html);
  const check = (opts = {}) => checkPage(ctx.page.locator('body'), { key: 'dashboard', lang: 'en', ...opts });

  test('parseNumber reads the first number of a text', () => {
    assert.equal(parseNumber('12,345'), 12345);
    assert.equal(parseNumber('₩ 98,765,432'), 98765432);
    assert.equal(parseNumber('1.2M'), 1.2);
    assert.equal(parseNumber('4\u00a0321 명'), 4321);
    assert.equal(parseNumber('0'), 0);
    assert.ok(Number.isNaN(parseNumber('—')));
    assert.ok(Number.isNaN(parseNumber(null)));
  });

  test('a page that keeps the contract passes', async () => {
    await load(dashboard());
    await check();
    const figures = await readFigures(ctx.page.locator('body'));
    assert.deepEqual(figures[0], { label: 'Customers', value: '12,345' });
  });

  test('<dt>/<dd> pairs wrapped in <div>s are read too', async () => {
    await load(dashboard({ figures: '<div><dt>Customers</dt><dd>5</dd></div><div><dt>Events</dt><dd>6</dd></div>' }));
    const figures = await readFigures(ctx.page.locator('body'));
    assert.deepEqual(figures, [{ label: 'Customers', value: '5' }, { label: 'Events', value: '6' }]);
  });

  test('unnamed controls are found', async () => {
    await load(`<main>
      <button>Save</button>
      <button aria-label="Close">×</button>
      <button><svg><title>Export</title></svg></button>
      <button><img src="data:," alt="Print"></button>
      <button title="Help"></button>
      <label for="q">Search</label><input id="q">
      <span id="lbl">Period</span><select aria-labelledby="lbl"><option>1</option></select>
      <input type="submit">
      <input placeholder="Filter">
      <button hidden></button>
      <div style="display:none"><button></button></div>
      <button id="bad1"></button>
      <button id="bad2"><svg></svg></button>
      <select id="bad3"><option>English</option></select>
      <input id="bad4" type="text">
      <a id="bad5" href="/x"><img src="data:," alt=""></a>
      <div id="bad6" role="button" tabindex="0"></div>
    </main>`);
    const unnamed = await controlsWithoutName(ctx.page.locator('body'));
    const ids = unnamed.map((html) => html.match(/id="(\w+)"/)?.[1]);
    assert.deepEqual(ids, ['bad1', 'bad2', 'bad3', 'bad4', 'bad5', 'bad6'], unnamed.join('\n'));
  });

  test('the page check fails on a broken page', async () => {
    const broken = [
      ['wrong heading', { heading: 'Overview' }, /name: 'Dashboard'/],
      ['a figure missing', { figures: '<dt>Customers</dt><dd>1</dd><dt>Events</dt><dd>2</dd><dt>Revenue</dt><dd>3</dd>' },
        /a <dt>Active customers \(30 days\)<\/dt>/],
      ['a zero figure', {
        figures: '<dt>Customers</dt><dd>0</dd><dt>Events</dt><dd>2</dd><dt>Revenue</dt><dd>3</dd>' +
          '<dt>Active customers (30 days)</dt><dd>4</dd>',
      }, /"Customers" is a number > 0/],
      ['a select without a name', { select: '<select><option>한국어</option><option>English</option></select>' },
        /controls without an accessible name/],
      ['an icon button without a name', { extra: '<button><svg width="10" height="10"></svg></button>' },
        /controls without an accessible name/],
    ];
    for (const [what, change, reason] of broken) {
      await load(dashboard(change));
      // A short timeout: the page is static, waiting longer cannot help.
      await assert.rejects(check({ timeout: 1000 }), reason, `${what} should fail the check`);
    }
    await load(dashboard().replace('Asia/Seoul', 'UTC'));
    await assert.rejects(check({ timeout: 1000 }), /the header shows the time zone Asia\/Seoul/);
    await load(dashboard().replace(' aria-current="page"', ''));
    await assert.rejects(check({ timeout: 1000 }), /aria-current="page"/);
  });

  test('console errors and uncaught exceptions are collected', async () => {
    const page = await ctx.context.newPage();
    const errors = watchErrors(page);
    await page.setContent('<script>console.error("boom"); setTimeout(() => { throw new Error("bang"); });</script>');
    await page.waitForTimeout(200);
    await page.close();
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0], /console\.error: boom/);
    assert.match(errors[1], /pageerror: .*bang/);
  });
});
