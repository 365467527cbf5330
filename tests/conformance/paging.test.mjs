// Keyset paging (limit, cursor → next_cursor): every row exactly once, also while rows change
// during the listing; server_time and incremental `since`; bad parameters are 400 problems.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { HOOKS, RUN, assertProblem, call, duplicates, hookUpsert, listAll, sleep } from './helpers.mjs';

let meta;
before(async () => {
  meta = (await call('/meta')).body;
  assert.ok(meta, 'GET /meta works');
});

const maxPage = () => meta.capabilities?.max_page_size ?? 1000;

for (const [path, small] of [['/customers', 250], ['/events', 2000]]) {
  test(`${path}: two listings with different page sizes return every row exactly once`, async () => {
    const a = await listAll(path, { limit: small });
    const b = await listAll(path, { limit: maxPage() });
    assert.ok(a.rows.length > 0, `${path} is not empty`);
    const idsA = a.rows.map((r) => r.id);
    const idsB = b.rows.map((r) => r.id);
    assert.ok(idsA.every((id) => typeof id === 'string'), 'every row has an id');
    assert.deepEqual(duplicates(idsA), [], `no row twice with limit ${small}`);
    assert.deepEqual(duplicates(idsB), [], `no row twice with limit ${maxPage()}`);
    assert.deepEqual([...idsA].sort(), [...idsB].sort(), 'both listings hold the same rows');
    if (a.rows.length > small) assert.ok(a.pages > 1, 'more rows than limit means more than one page');
    assert.ok(a.pages <= Math.ceil(a.rows.length / small) + 1, 'pages are full until the last one');
  });
}

test('/customers: rows have the v1 shape', async () => {
  const res = await call('/customers?limit=50');
  for (const c of res.body.data) {
    assert.equal(typeof c.id, 'string');
    assert.equal(typeof c.name, 'string');
    assert.ok(!Number.isNaN(Date.parse(c.created_at)), `created_at ${c.created_at}`);
  }
  const ev = await call('/events?limit=50');
  for (const e of ev.body.data) {
    assert.equal(typeof e.customer_id, 'string');
    assert.equal(typeof e.type, 'string');
    assert.ok(!Number.isNaN(Date.parse(e.at)), `at ${e.at}`);
  }
});

test('server_time is an RFC 3339 instant, the same on every page of one listing', async (t) => {
  const { serverTimes } = await listAll('/customers', { limit: 1000 });
  if (serverTimes.size === 0) return t.skip('this backend sends no server_time');
  assert.equal(serverTimes.size, 1, `one server_time per listing, got ${[...serverTimes].join(', ')}`);
  const [time] = serverTimes;
  assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  assert.ok(Math.abs(Date.parse(time) - Date.now()) < 10 * 60_000, 'server_time is about now');
});

test('since: the epoch returns everything, the far future nothing', async (t) => {
  if (!meta.capabilities?.since) return t.skip('capabilities.since is false');
  const all = await listAll('/customers', { limit: maxPage() });
  const fromEpoch = await listAll('/customers', { limit: maxPage(), since: '1970-01-01T00:00:00Z' });
  assert.equal(fromEpoch.rows.length, all.rows.length);
  const future = await listAll('/customers', { since: '2999-01-01T00:00:00+09:00' });
  assert.equal(future.rows.length, 0);
  const eventsFuture = await listAll('/events', { since: '2999-01-01T00:00:00Z' });
  assert.equal(eventsFuture.rows.length, 0);
});

test('since = the last server_time returns only rows changed after it', async (t) => {
  if (!meta.capabilities?.since) return t.skip('capabilities.since is false');
  if (!HOOKS) return t.skip('needs CONFORMANCE_TEST_HOOKS=1 to add rows');
  const listing = await listAll('/customers', { limit: maxPage() });
  const [since] = listing.serverTimes;
  assert.ok(since, 'the listing gave a server_time');
  const quiet = await listAll('/customers', { since });
  assert.deepEqual(quiet.rows.map((r) => r.id), [], 'nothing changed since the listing');

  await sleep(5);
  const changed = { ...listing.rows[3], name: `${listing.rows[3].name} (${RUN})` };
  const added = { id: `conf-${RUN}-since`, name: '새 고객', created_at: new Date().toISOString() };
  await hookUpsert('customers', [changed, added]);
  const event = { id: `conf-${RUN}-ev`, customer_id: added.id, type: meta.event_types[0].name, at: new Date().toISOString() };
  await hookUpsert('events', [event]);

  const fresh = await listAll('/customers', { since });
  assert.deepEqual(fresh.rows.map((r) => r.id).sort(), [changed.id, added.id].sort(), 'exactly the changed and added rows');
  assert.equal(fresh.rows.find((r) => r.id === changed.id).name, changed.name, 'the changed row in its new state');
  const freshEvents = await listAll('/events', { since });
  assert.deepEqual(freshEvents.rows.map((r) => r.id), [event.id]);
  const [next] = fresh.serverTimes;
  assert.deepEqual((await listAll('/customers', { since: next })).rows, [], 'nothing after the new server_time');
});

test('rows added and changed during a listing: nothing twice, nothing lost once since is applied', async (t) => {
  if (!HOOKS) return t.skip('needs CONFORMANCE_TEST_HOOKS=1 to add rows during the listing');
  const before = await listAll('/customers', { limit: maxPage() });
  const beforeIds = before.rows.map((r) => r.id);
  const byId = new Map(before.rows.map((r) => [r.id, r]));
  const sorted = [...beforeIds].sort();
  const limit = Math.max(1, Math.floor(beforeIds.length / 5));
  const inserted = [
    { id: `${'0'.repeat(3)}conf-${RUN}-first`, name: 'first', created_at: new Date().toISOString() },
    { id: `conf-${RUN}-mid`, name: 'mid', created_at: new Date().toISOString() },
    { id: `zzzz-conf-${RUN}-last`, name: 'last', created_at: new Date().toISOString() },
  ];
  let changedIds = [];
  const during = await listAll('/customers', {
    limit,
    onPage: async (page, body) => {
      if (page !== 2) return;
      // One row already listed and one not yet listed (by the backend's own order) change.
      const seen = body.data[0].id;
      const notYet = sorted[sorted.length - 1] === seen ? sorted[0] : sorted[sorted.length - 1];
      const changed = [seen, notYet].map((id) => ({ ...byId.get(id), name: `${byId.get(id).name} (${RUN} during)` }));
      changedIds = changed.map((c) => c.id);
      await hookUpsert('customers', [...inserted, ...changed]);
    },
  });
  assert.ok(during.pages >= 3, `the listing had ${during.pages} pages`);
  const ids = during.rows.map((r) => r.id);
  assert.deepEqual(duplicates(ids), [], 'no row twice during concurrent changes');
  const got = new Set(ids);
  const missing = beforeIds.filter((id) => !got.has(id));
  assert.deepEqual(missing, [], 'every row that existed for the whole listing is in it');
  const [serverTime] = during.serverTimes;
  if (serverTime && meta.capabilities?.since) {
    const refresh = await listAll('/customers', { since: serverTime });
    const refreshed = new Set(refresh.rows.map((r) => r.id));
    for (const id of [...inserted.map((r) => r.id), ...changedIds]) {
      assert.ok(refreshed.has(id), `the refresh with since=server_time returns ${id}`);
    }
  }
});

test('bad paging parameters are 400 problems naming the parameter', async () => {
  for (const q of ['limit=0', 'limit=-5', 'limit=ten', 'cursor=not-a-cursor', 'since=yesterday']) {
    const res = await call(`/customers?${q}`);
    const problem = assertProblem(res, 400, q);
    const name = q.split('=')[0];
    assert.ok(problem.parameter === name || (problem.detail ?? '').includes(name), `${q}: names ${name}`);
  }
});

test('a limit above max_page_size is lowered to it', async () => {
  const max = maxPage();
  const res = await call(`/events?limit=${max * 10}`);
  assert.equal(res.status, 200);
  assert.ok(res.body.data.length <= max, `${res.body.data.length} ≤ ${max}`);
});
