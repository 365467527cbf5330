// The fault matrix against the real reference backend: for every fault (rows) and operation
// (columns: the paged initial load, Refresh with `since`, listing saved segments, saving a new
// one, updating it with If-Match, deleting it) the fault is injected on that operation's backend
// requests only, and the test checks what the user gets:
//   - either the client recovers by itself (a retry, or waiting as Retry-After says), or a clear
//     message in English and Korean (role=alert) with "Try again", which works once the fault is
//     gone;
//   - the edit is still in the editor; the backend holds nothing the user did not save (a failed
//     update leaves the old version, a failed create makes no duplicate even when its answer was
//     lost); row counts on screen equal the backend's;
//   - the app keeps working (another page and back) and nothing threw.
// The outcome of every cell is compared with the expected one and recorded for the printed matrix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  FAULTS,
  TEST_TIMEOUT,
  addRows,
  assertNoPageErrors,
  backend,
  backendCounts,
  eventually,
  figures,
  inject,
  on,
  openApp,
  recordRow,
  segmentsNamed,
  setLanguage,
  shot,
  useStack,
  API,
  RUN,
  TOKEN,
} from './helpers.mjs';

const OPS = ['load', 'refresh', 'list', 'save new', 'update', 'delete'];
const MSG = 'message→try again ok';
const GAVE_UP = (n) => `retried ×${n}, ${MSG}`;
const WAITED = 'waited 2 s→ok';
const row = (load, refresh, list, create, update, del) => ({ load, refresh, list, 'save new': create, update, delete: del });

// What the client must do. Reads (GET) retry transient failures 4 times; a POST only with its
// Idempotency-Key (always sent); PUT and DELETE only on 429/503 (the request was not processed).
const EXPECTED = {
  '500 once': row('retried→ok', 'retried→ok', 'retried→ok', 'retried→ok', MSG, MSG),
  '500 always': row(GAVE_UP(4), GAVE_UP(4), GAVE_UP(4), GAVE_UP(4), MSG, MSG),
  'dropped connection': row(GAVE_UP(4), GAVE_UP(4), GAVE_UP(4), GAVE_UP(4), MSG, MSG),
  timeout: row(GAVE_UP(4), GAVE_UP(4), GAVE_UP(4), GAVE_UP(4), MSG, MSG),
  // Applied by the backend, answer spoilt: "Try again" must not save twice.
  'malformed JSON': row(MSG, MSG, MSG, MSG, MSG, 'n/a'),
  'truncated body': row(MSG, MSG, MSG, MSG, MSG, 'n/a'),
  'wrong field type': row(MSG, MSG, MSG, MSG, MSG, 'n/a'),
  '401 Unauthorized': row(MSG, MSG, MSG, MSG, MSG, MSG),
  '429 Retry-After: 2': row(WAITED, WAITED, WAITED, WAITED, WAITED, WAITED),
};

// The message each fault must show, in both languages.
const MESSAGES = {
  '500 once': { en: /The server answered HTTP 500 for http/, ko: /HTTP 500 오류로 응답했습니다/ },
  '500 always': { en: /The server answered HTTP 500 for http/, ko: /HTTP 500 오류로 응답했습니다/ },
  'dropped connection': { en: /The request could not be sent/, ko: /요청을 보낼 수 없습니다/ },
  timeout: { en: /did not answer within 3 seconds/, ko: /3초 안에 응답하지 않았습니다/ },
  'malformed JSON': { en: /not in the expected format/, ko: /데이터 형식이 올바르지 않습니다/ },
  'truncated body': { en: /not in the expected format/, ko: /데이터 형식이 올바르지 않습니다/ },
  'wrong field type': { en: /not in the expected format: .*\b(version|created_at|at)\b.*invalid type/, ko: /데이터 형식이 올바르지 않습니다: .*\b(version|created_at|at)\b/ },
  '401 Unauthorized': { en: /not signed in, or not allowed/, ko: /로그인되어 있지 않거나/ },
  '429 Retry-After: 2': null,
};

const isVisible = async (loc) => (await loc.count()) > 0 && (await loc.first().isVisible());

/**
 * Runs one cell: `act()` starts the operation with `fault` injected on `match`; then either
 * `done()` (the UI shows success) or the `alert` appears. On an alert: checks the message in
 * English and Korean, `whileFailed()` (edit kept, backend untouched), lifts the fault and clicks
 * "Try again". Returns the outcome text.
 */
async function cell(page, { faultName, op, match, act, alert, done, whileFailed = async () => {}, consumers = 1 }) {
  const fault = await inject(page, faultName, match, { consumers });
  const started = Date.now();
  await act();
  let seen;
  await eventually(
    async () => {
      if (await isVisible(alert)) return (seen = 'alert');
      if (await done()) {
        // Success on screen; make sure no message follows right after it.
        await page.waitForTimeout(300);
        if (await isVisible(alert)) return (seen = 'alert');
        return (seen = 'ok');
      }
      throw new Error('neither success nor a message yet');
    },
    { timeout: 120_000, what: `${faultName} × ${op}` },
  );
  if (fault.hits === 0 && seen === 'alert') console.log(`  unexpected message: ${await alert.first().innerText()}`);
  assert.ok(fault.hits >= 1, `${faultName} × ${op}: the fault was never hit`);
  let outcome;
  if (seen === 'alert') {
    // Attempts per request (the Segments page and its saved-segments bar each list them: let
    // the other one finish its retries too).
    if (consumers > 1) {
      let last = -1;
      while (last !== fault.hits) {
        last = fault.hits;
        await page.waitForTimeout(3000);
      }
    }
    const hits = Math.round(fault.hits / consumers);
    const text = await alert.first().innerText();
    const expected = MESSAGES[faultName];
    assert.ok(expected, `${faultName} × ${op}: unexpected message: ${text}`);
    assert.match(text, expected.en, `${faultName} × ${op}: the message`);
    assert.doesNotMatch(text, /cursor=|since=|limit=/, `${faultName} × ${op}: no unreadable query in the message`);
    await whileFailed();
    const tag = `${faultName}-${op}`.replace(/[^a-z0-9]+/gi, '-');
    await shot(page, tag, 'en');
    await setLanguage(page, 'ko');
    await eventually(async () => assert.match(await alert.first().innerText(), expected.ko), { timeout: 5_000, what: 'Korean message' });
    await shot(page, tag, 'ko');
    await setLanguage(page, 'en');
    await eventually(async () => assert.match(await alert.first().innerText(), expected.en), { timeout: 5_000, what: 'English again' });
    fault.lift();
    await alert.first().getByRole('button', { name: 'Try again', exact: true }).click();
    await eventually(async () => assert.ok(await done(), 'success after Try again'), { timeout: 120_000, what: `${faultName} × ${op}: Try again` });
    await eventually(async () => assert.ok(!(await isVisible(alert)), 'the message is gone'), { timeout: 10_000, what: 'message gone' });
    outcome = hits > 1 ? GAVE_UP(hits) : MSG;
  } else if (FAULTS[faultName].once && faultName.startsWith('429')) {
    const waited = Date.now() - fault.times[0];
    assert.ok(waited >= 1900, `${faultName} × ${op}: waited only ${waited} ms`);
    outcome = WAITED;
  } else {
    outcome = FAULTS[faultName].once ? 'retried→ok' : 'ok';
  }
  fault.lift();
  console.log(`  ${faultName} × ${op}: ${outcome} (${Date.now() - started} ms)`);
  return outcome;
}

describe('fault matrix against the reference backend', () => {
  const env = useStack();

  let index = 0;
  for (const faultName of Object.keys(EXPECTED)) {
    const n = index++;
    // FAULTS_ONLY="500 once,401" runs only those rows (while debugging).
    if (process.env.FAULTS_ONLY && !process.env.FAULTS_ONLY.split(',').includes(faultName)) continue;
    test(`${faultName}: every operation recovers or explains itself, nothing is lost`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, errors, url } = await openApp(env.browser);
      const cells = {};
      try {
        const main = page.locator('main');
        const loadAlert = page.locator('main > [role=alert]:not(.crm-refresh-error)');
        const refreshAlert = page.locator('main > .crm-refresh-error');
        const barAlert = page.locator('.crm-defbar > [role=alert]');
        const listAlert = page.locator('.crm-defbar-saved [role=alert]');
        const status = (text) => page.getByRole('status').filter({ hasText: text });
        const shows = (counts) => async () => {
          const f = await figures(page);
          return f.customers === counts.customers && f.events === counts.events;
        };

        // 1. The initial load, paging through customers and events; the fault on later pages.
        let counts = await backendCounts();
        assert.ok(counts.pages >= 5, `the backend pages (${counts.pages} pages)`);
        cells.load = await cell(page, {
          faultName, op: 'load',
          match: on('GET', (p, q) => p === '/events' && q.has('cursor')),
          act: () => page.goto(url('/')),
          alert: loadAlert,
          done: shows(counts),
        });

        // 2. Refresh: only rows changed since the load (the backend's test upserts add some).
        await addRows(`row${n}`, { customers: 2, eventsEach: 3 });
        const before = counts;
        counts = await backendCounts();
        assert.equal(counts.customers, before.customers + 2);
        // Rows in the last readable answer to each `since` listing (one page each here).
        const sinceRows = {};
        const onSince = async (r) => {
          const u = new URL(r.url());
          if (!u.searchParams.has('since') || r.status() !== 200) return;
          try {
            sinceRows[u.pathname] = (await r.json()).data.length;
          } catch {
            // a spoilt answer of the fault
          }
        };
        page.on('response', onSince);
        cells.refresh = await cell(page, {
          faultName, op: 'refresh',
          match: on('GET', (p, q) => p === '/customers' && q.has('since')),
          act: () => page.getByRole('button', { name: 'Refresh data', exact: true }).click(),
          alert: refreshAlert,
          done: shows(counts),
          whileFailed: async () => assert.ok(await shows(before)(), 'the data loaded before stays on screen'),
        });
        page.off('response', onSince);
        assert.deepEqual(sinceRows, { '/customers': 2, '/events': 6 }, 'Refresh got only the new rows');

        // 3. The saved segments list (opened with the Segments page), with one saved by someone
        // else so that the list has rows to spoil.
        const seed = await backend('/segments', {
          method: 'POST',
          json: { name: `Seed ${RUN} ${n}`, description: '', definition: { rule: 'all', rules: [] } },
        });
        assert.equal(seed.status, 201, 'seed segment');
        const savedBefore = (await backend('/segments?limit=100')).body.data.length;
        cells.list = await cell(page, {
          faultName, op: 'list',
          match: on('GET', (p) => p === '/segments'),
          act: async () => {
            await page.getByRole('navigation').getByRole('link', { name: 'Segments', exact: true }).click();
            await page.locator('.crm-defbar-saved > summary').click();
          },
          alert: listAlert,
          consumers: 2,
          done: async () => (await page.locator('.crm-defbar-list > li').count()) === savedBefore
            && isVisible(page.getByRole('button', { name: `Open Seed ${RUN} ${n}`, exact: true })),
        });

        // 4. Save a new segment (POST with an Idempotency-Key).
        const name = `Fault ${RUN} ${n}`;
        const days = String(20 + n);
        const daysInput = page.getByLabel('When (Days): Rule 1', { exact: true });
        const nameInput = page.getByLabel('Name', { exact: true });
        await page.getByRole('button', { name: /^Use template: / }).first().click();
        await daysInput.fill(days);
        await nameInput.fill(name);
        const drafted = (d) => eventually(async () => {
          const draft = await page.evaluate(() => localStorage.getItem('crm-lens:draft:segments'));
          assert.ok(draft?.includes(`"last_days":${d}`), `draft with ${d} days: ${draft}`);
        }, { timeout: 10_000, what: 'the edit is kept as a draft' });
        await drafted(days);
        const editKept = (d) => async () => {
          assert.equal(await nameInput.inputValue(), name, 'the name is still in the editor');
          assert.equal(await daysInput.inputValue(), d, 'the rule is still in the editor');
        };
        cells['save new'] = await cell(page, {
          faultName, op: 'save new',
          match: on('POST', (p) => p === '/segments'),
          act: () => page.getByRole('button', { name: 'Save', exact: true }).click(),
          alert: barAlert,
          done: () => isVisible(status(`Saved “${name}” (version 1).`)),
          whileFailed: async () => {
            await editKept(days)();
            const saved = await segmentsNamed(name);
            assert.ok(saved.length <= 1, 'no duplicate');
            if (!FAULTS[faultName].applied) assert.equal(saved.length, 0, 'nothing saved while failing');
          },
        });
        const saved = await segmentsNamed(name);
        assert.equal(saved.length, 1, 'saved exactly once (no duplicate after retries)');
        assert.match(JSON.stringify(saved[0].definition), new RegExp(`"last_days":${days}\\b`));
        const id = saved[0].id;

        // 5. Update it (PUT with If-Match).
        const days2 = String(120 + n);
        await daysInput.fill(days2);
        await drafted(days2);
        cells.update = await cell(page, {
          faultName, op: 'update',
          match: on('PUT', (p) => p === `/segments/${encodeURIComponent(id)}`),
          act: () => page.getByRole('button', { name: 'Save', exact: true }).click(),
          alert: barAlert,
          done: () => isVisible(status(`Saved “${name}” (version 2).`)),
          whileFailed: async () => {
            await editKept(days2)();
            const now = (await backend(`/segments/${id}`)).body;
            if (FAULTS[faultName].applied) assert.equal(now.version, 2);
            else assert.deepEqual([now.version, now.definition], [1, saved[0].definition], 'the backend keeps version 1');
          },
        });
        const updated = (await backend(`/segments/${id}`)).body;
        assert.equal(updated.version, 2, 'version 2 on the backend (saved once)');
        assert.match(JSON.stringify(updated.definition), new RegExp(`"last_days":${days2}\\b`));

        // 6. Delete it (DELETE with If-Match); its answer has no body to spoil.
        if (FAULTS[faultName].applied) {
          cells.delete = 'n/a';
          await page.getByRole('button', { name: 'Delete', exact: true }).click();
          await page.getByRole('button', { name: 'Yes, delete', exact: true }).click();
          await status(`Deleted “${name}”.`).waitFor();
        } else {
          cells.delete = await cell(page, {
            faultName, op: 'delete',
            match: on('DELETE', (p) => p === `/segments/${encodeURIComponent(id)}`),
            act: async () => {
              await page.getByRole('button', { name: 'Delete', exact: true }).click();
              await page.getByRole('button', { name: 'Yes, delete', exact: true }).click();
            },
            alert: barAlert,
            done: () => isVisible(status(`Deleted “${name}”.`)),
            whileFailed: async () => {
              await editKept(days2)();
              assert.equal((await backend(`/segments/${id}`)).status, 200, 'not deleted while failing');
            },
          });
        }
        assert.equal((await backend(`/segments/${id}`)).status, 404, 'deleted on the backend');
        await editKept(days2)();

        const seedNow = await backend(`/segments/${seed.body.id}`);
        assert.equal(seedNow.body.version, 1, 'the other segment was never touched');
        await fetch(`${API}/segments/${seed.body.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}`, 'If-Match': seedNow.headers.get('etag') } });

        // The app still works: another page and back.
        await page.getByRole('navigation').getByRole('link', { name: 'Dashboard', exact: true }).click();
        await eventually(async () => assert.ok(await shows(counts)()), { what: 'dashboard after the faults' });
        await page.getByRole('navigation').getByRole('link', { name: 'Segments', exact: true }).click();
        await main.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
        assertNoPageErrors(errors, faultName);
        recordRow('matrix', faultName, cells);
        assert.deepEqual(cells, EXPECTED[faultName], `${faultName}: outcomes`);
      } catch (err) {
        await shot(page, `FAILED-${faultName.replace(/[^a-z0-9]+/gi, '-')}`, 'en').catch(() => {});
        throw err;
      } finally {
        await context.close();
      }
    });
  }
});
