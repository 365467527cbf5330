// The faults that are not one bad answer, against the real reference backend:
//   - a real 412: the same saved segment edited in a second browser context and saved there
//     first; the conflict view shows both versions, and "Overwrite with mine", "Load theirs" and
//     "Save mine as a copy" each do exactly that (checked on the backend after each);
//   - going offline in the middle of an edit: the Offline pill, saving waits and completes when
//     the connection returns, the edit is never lost;
//   - a reload with a draft: the draft is offered back and restores the edit; and when someone
//     saved a newer version meanwhile, restoring shows the conflict instead of overwriting it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  TEST_TIMEOUT,
  RUN,
  assertNoPageErrors,
  backend,
  eventually,
  figures,
  openApp,
  recordRow,
  segmentsNamed,
  setLanguage,
  shot,
  useStack,
} from './helpers.mjs';

const label = (page, name) => page.getByLabel(name, { exact: true });
const days = (page) => label(page, 'When (Days): Rule 1');
const button = (page, name) => page.getByRole('button', { name, exact: true });
const status = (page, text) => page.getByRole('status').filter({ hasText: text });
const lastDays = (definition) => JSON.stringify(definition).match(/"last_days":(\d+)/)?.[1];

/** Opens the app on the Segments page and waits for the data and the saved list. */
async function openSegments(env, { locale = 'en-US', context } = {}) {
  const app = await openApp(env.browser, { locale, context });
  await app.page.goto(app.url('/'));
  await eventually(async () => assert.ok((await figures(app.page)).customers > 0), { what: 'data from the backend' });
  await app.page.getByRole('navigation').getByRole('link', { name: 'Segments', exact: true }).click();
  await app.page.locator('.crm-defbar-saved > summary').click();
  return app;
}

/** Waits until the editor's draft holds `d` days (the edit reached the definition bar). */
function drafted(page, d) {
  return eventually(async () => {
    const draft = await page.evaluate(() => localStorage.getItem('crm-lens:draft:segments'));
    assert.ok(draft?.includes(`"last_days":${d}`), `draft with ${d} days: ${draft}`);
  }, { timeout: 10_000, what: 'the edit is kept as a draft' });
}

/** A new saved segment `name` with `d` days, made through the UI. Returns its backend id. */
async function createSegment(page, name, d) {
  await page.getByRole('button', { name: /^Use template: / }).first().click();
  await days(page).fill(String(d));
  await label(page, 'Name').fill(name);
  await drafted(page, d);
  // "Save as copy" always makes a new item, even while another saved one is open in the bar.
  await button(page, 'Save as copy').click();
  await status(page, `Saved “${name}” (version 1).`).waitFor();
  const saved = await segmentsNamed(name);
  assert.equal(saved.length, 1);
  return saved[0].id;
}

/** Opens saved `name` from the list (refreshing the list first). */
async function openSaved(page, name) {
  await button(page, 'Refresh list').click();
  await button(page, `Open ${name}`).click();
  await page.getByText(new RegExp(`Editing “${name}”, version \\d+`)).waitFor();
}

async function edit(page, d) {
  await days(page).fill(String(d));
  await drafted(page, d);
}

describe('conflicts, offline and drafts against the reference backend', () => {
  const env = useStack();

  test('412 from an edit in a second browser: both versions shown, each choice does what it says', { timeout: TEST_TIMEOUT }, async () => {
    const a = await openSegments(env);
    const b = await openSegments(env);
    const outcomes = [];
    try {
      for (const [i, choice] of ['Overwrite with mine', 'Load theirs (discard mine)', 'Save mine as a copy'].entries()) {
        const name = `Shared ${RUN} ${i}`;
        const id = await createSegment(a.page, name, 30);
        // The second browser opens it and saves a change first (version 2).
        await openSaved(b.page, name);
        await edit(b.page, 41);
        await button(b.page, 'Save').click();
        await status(b.page, `Saved “${name}” (version 2).`).waitFor();
        // The first still edits version 1: saving is refused with 412 and shows both versions.
        await edit(a.page, 52);
        await button(a.page, 'Save').click();
        const view = a.page.getByRole('alertdialog', { name: `Someone else changed “${name}”` });
        await view.waitFor();
        const theirs = await view.getByLabel('Their version', { exact: true }).innerText();
        const mine = await view.getByLabel('Your version', { exact: true }).innerText();
        assert.match(theirs, /"last_days": 41/);
        assert.match(mine, /"last_days": 52/);
        assert.match(await view.innerText(), /Their version 2 was saved .* by Kim Minji/);
        let now = (await backend(`/segments/${id}`)).body;
        assert.deepEqual([now.version, lastDays(now.definition)], [2, '41'], 'nothing overwritten before the choice');
        assert.equal(await days(a.page).inputValue(), '52', 'my edit is still in the editor');
        if (i === 0) {
          await shot(a.page, 'conflict-view', 'en');
          await setLanguage(a.page, 'ko');
          await a.page.getByRole('alertdialog', { name: `다른 사람이 “${name}”을(를) 변경했습니다` }).waitFor();
          await shot(a.page, 'conflict-view', 'ko');
          await setLanguage(a.page, 'en');
          await view.waitFor();
        }
        await view.getByRole('button', { name: choice, exact: true }).click();
        await view.waitFor({ state: 'detached' });
        now = (await backend(`/segments/${id}`)).body;
        if (choice === 'Overwrite with mine') {
          await status(a.page, `Saved “${name}” (version 3).`).waitFor();
          assert.deepEqual([now.version, lastDays(now.definition)], [3, '52'], 'mine replaced theirs, by choice');
          outcomes.push('overwrite→v3 mine');
        } else if (choice === 'Load theirs (discard mine)') {
          assert.deepEqual([now.version, lastDays(now.definition)], [2, '41'], 'theirs kept');
          await eventually(async () => assert.equal(await days(a.page).inputValue(), '41'), { timeout: 10_000, what: 'theirs in the editor' });
          await a.page.getByText(`Editing “${name}”, version 2`, { exact: true }).waitFor();
          outcomes.push('load theirs→editor v2');
        } else {
          const copy = `${name} (copy)`;
          await status(a.page, `Saved “${copy}” (version 1).`).waitFor();
          assert.deepEqual([now.version, lastDays(now.definition)], [2, '41'], 'theirs kept');
          const copies = await segmentsNamed(copy);
          assert.equal(copies.length, 1);
          assert.equal(lastDays(copies[0].definition), '52', 'mine saved as the copy');
          outcomes.push('copy→both kept');
        }
      }
      assertNoPageErrors(a.errors, 'first browser');
      assertNoPageErrors(b.errors, 'second browser');
      recordRow('scenarios', '412 (saved in a 2nd browser)', { update: `conflict view: ${outcomes.join(', ')}` });
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  test('offline in the middle of an edit: saving waits, then completes; nothing is lost', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, errors } = await openSegments(env);
    try {
      const name = `Offline ${RUN}`;
      const header = page.locator('header');
      const cells = {};
      for (const [op, d, version] of [['save new', 33, 1], ['update', 44, 2]]) {
        if (op === 'save new') {
          await page.getByRole('button', { name: /^Use template: / }).first().click();
          await label(page, 'Name').fill(name);
        }
        await days(page).fill('7');
        await context.setOffline(true);
        await header.getByText('Offline', { exact: true }).waitFor();
        await edit(page, d);
        await button(page, 'Save').click();
        const waiting = status(page, 'You are offline. Saving will continue when the connection returns');
        await waiting.waitFor();
        if (op === 'save new') {
          await shot(page, 'offline-saving', 'en');
          await setLanguage(page, 'ko');
          await status(page, '오프라인 상태입니다. 연결이 돌아오면 저장을 이어서 합니다').waitFor();
          await header.getByText('오프라인', { exact: true }).waitFor();
          await shot(page, 'offline-saving', 'ko');
          await setLanguage(page, 'en');
        }
        await page.waitForTimeout(1500);
        assert.equal(await days(page).inputValue(), String(d), 'the edit stays in the editor');
        const before = await segmentsNamed(name);
        assert.equal(before.length, version - 1, 'nothing reached the backend while offline');
        await context.setOffline(false);
        await status(page, `Saved “${name}” (version ${version}).`).waitFor({ timeout: 30_000 });
        await header.getByText('Offline', { exact: true }).waitFor({ state: 'detached' });
        const after = await segmentsNamed(name);
        assert.equal(after.length, 1, 'saved once');
        assert.deepEqual([after[0].version, lastDays(after[0].definition)], [version, String(d)]);
        cells[op] = 'Offline pill, waits→saved on reconnect';
      }
      assertNoPageErrors(errors, 'offline');
      recordRow('scenarios', 'offline mid-edit', cells);
    } finally {
      await context.close();
    }
  });

  test('a reload with a draft offers it back; restoring a draft someone outdated shows the conflict', { timeout: TEST_TIMEOUT }, async () => {
    const a = await openSegments(env);
    let b;
    try {
      const name = `Draft ${RUN}`;
      const id = await createSegment(a.page, name, 25);
      await edit(a.page, 66);
      await a.page.reload();
      await a.page.locator('main').getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
      const offer = status(a.page, 'You have unsaved changes from');
      await offer.waitFor();
      await shot(a.page, 'draft-offer', 'en');
      await setLanguage(a.page, 'ko');
      await status(a.page, '저장하지 않은 변경 사항이 있습니다').waitFor();
      await shot(a.page, 'draft-offer', 'ko');
      await setLanguage(a.page, 'en');
      await button(a.page, 'Restore them').click();
      await eventually(async () => assert.equal(await days(a.page).inputValue(), '66'), { timeout: 10_000, what: 'the draft restored' });
      await a.page.getByText(`Editing “${name}”, version 1 · Unsaved changes`, { exact: true }).waitFor();
      await button(a.page, 'Save').click();
      await status(a.page, `Saved “${name}” (version 2).`).waitFor();
      let now = (await backend(`/segments/${id}`)).body;
      assert.deepEqual([now.version, lastDays(now.definition)], [2, '66']);

      // A draft of version 2, then someone saves version 3 elsewhere, then a reload: restoring
      // must not overwrite their version silently.
      await edit(a.page, 77);
      b = await openSegments(env);
      await openSaved(b.page, name);
      await edit(b.page, 88);
      await button(b.page, 'Save').click();
      await status(b.page, `Saved “${name}” (version 3).`).waitFor();
      await a.page.reload();
      await a.page.locator('main').getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
      await status(a.page, 'You have unsaved changes from').waitFor();
      await button(a.page, 'Restore them').click();
      const view = a.page.getByRole('alertdialog', { name: `Someone else changed “${name}”` });
      await view.waitFor();
      assert.match(await view.getByLabel('Their version', { exact: true }).innerText(), /"last_days": 88/);
      assert.match(await view.getByLabel('Your version', { exact: true }).innerText(), /"last_days": 77/);
      assert.equal(await days(a.page).inputValue(), '77', 'the restored edit is in the editor');
      now = (await backend(`/segments/${id}`)).body;
      assert.deepEqual([now.version, lastDays(now.definition)], [3, '88'], 'their version is untouched');
      await view.getByRole('button', { name: 'Overwrite with mine', exact: true }).click();
      await status(a.page, `Saved “${name}” (version 4).`).waitFor();
      now = (await backend(`/segments/${id}`)).body;
      assert.deepEqual([now.version, lastDays(now.definition)], [4, '77']);
      assertNoPageErrors(a.errors, 'draft');
      recordRow('scenarios', 'reload with a draft', {
        update: 'draft offered→restored→saved v2; outdated draft→conflict view',
      });
    } finally {
      await a.context.close();
      await b?.context.close();
    }
  });
});
