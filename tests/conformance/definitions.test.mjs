// Saved segments and journeys: create, read, replace, delete with versions and strong ETags;
// If-None-Match → 304, If-Match required (428) and checked (412); idempotent POST; problem+json
// validation errors with JSON Pointers.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';

import { RUN, assertProblem, call, listAll, strongEtag } from './helpers.mjs';

const DEFINITIONS = {
  segments: {
    valid: { rule: 'all', rules: [{ rule: 'performed', event: { event: 'visit' }, window: { last_days: 90 } }] },
    changed: { rule: 'not_performed', event: { event: 'purchase' }, window: { last_days: 30 } },
  },
  journeys: {
    valid: { entry: { kind: 'event', event: 'signup' }, nodes: [{ id: 'n1', kind: 'exit' }] },
    changed: { entry: { kind: 'event', event: 'cart_add' }, nodes: [] },
  },
};

let capabilities = {};
before(async () => {
  capabilities = (await call('/meta')).body?.capabilities ?? {};
});

for (const collection of ['segments', 'journeys']) {
  const { valid, changed } = DEFINITIONS[collection];
  const skip = () => !capabilities[collection];

  describe(`/${collection}`, () => {
    test('POST 201 → GET 200 → If-None-Match 304 → PUT (428, 412, 200) → DELETE (428, 412, 204) → 404', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      const input = { name: `conformance ${RUN} ${collection}`, description: '설명 — description', definition: valid };
      const created = await call(`/${collection}`, { method: 'POST', json: input });
      assert.equal(created.status, 201, created.text.slice(0, 400));
      const etag1 = strongEtag(created, 'POST');
      const def = created.body;
      assert.equal(typeof def.id, 'string');
      assert.equal(def.name, input.name);
      assert.equal(def.description, input.description);
      assert.deepEqual(def.definition, valid);
      assert.equal(def.version, 1);
      assert.ok(!Number.isNaN(Date.parse(def.created_at)) && !Number.isNaN(Date.parse(def.updated_at)));
      assert.ok('owner' in def, 'owner is present (string or null)');
      const location = created.headers.get('location');
      assert.ok(location && location.endsWith(`/${collection}/${def.id}`), `Location ${location}`);

      const path = `/${collection}/${encodeURIComponent(def.id)}`;
      const read = await call(path);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, def, 'GET returns what POST returned');
      assert.equal(strongEtag(read, 'GET'), etag1, 'the same representation has the same ETag');

      const notModified = await call(path, { headers: { 'If-None-Match': etag1 } });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.text, '');

      const update = { name: `${input.name} v2`, description: '', definition: changed };
      assertProblem(await call(path, { method: 'PUT', json: update }), 428, 'PUT without If-Match');
      assertProblem(await call(path, { method: 'PUT', json: update, headers: { 'If-Match': '"stale"' } }), 412, 'PUT stale');
      assertProblem(await call(path, { method: 'PUT', json: update, headers: { 'If-Match': `W/${etag1}` } }), 412,
        'a weak tag never matches If-Match');
      const put = await call(path, { method: 'PUT', json: update, headers: { 'If-Match': etag1 } });
      assert.equal(put.status, 200, put.text.slice(0, 400));
      const etag2 = strongEtag(put, 'PUT');
      assert.notEqual(etag2, etag1, 'a new version has a new ETag');
      assert.equal(put.body.version, 2);
      assert.equal(put.body.id, def.id);
      assert.equal(put.body.name, update.name);
      assert.deepEqual(put.body.definition, changed);
      assert.equal(put.body.created_at, def.created_at, 'created_at is kept');
      assert.ok(Date.parse(put.body.updated_at) >= Date.parse(def.updated_at), 'updated_at moves forward');

      // The writer who still holds version 1 is stopped: the 412 tells the current ETag.
      const lost = await call(path, { method: 'PUT', json: input, headers: { 'If-Match': etag1 } });
      assertProblem(lost, 412, 'PUT with the old ETag');
      const reread = await call(path, { headers: { 'If-None-Match': etag1 } });
      assert.equal(reread.status, 200, 'the old ETag is no longer current');
      assert.equal(reread.body.version, 2);
      assert.equal(reread.headers.get('etag'), etag2);

      assertProblem(await call(path, { method: 'DELETE' }), 428, 'DELETE without If-Match');
      assertProblem(await call(path, { method: 'DELETE', headers: { 'If-Match': etag1 } }), 412, 'DELETE stale');
      const del = await call(path, { method: 'DELETE', headers: { 'If-Match': etag2 } });
      assert.equal(del.status, 204, del.text);
      assertProblem(await call(path), 404, 'GET after DELETE');
      assertProblem(await call(path, { method: 'PUT', json: update, headers: { 'If-Match': etag2 } }), 404, 'PUT after DELETE');
      assertProblem(await call(path, { method: 'DELETE', headers: { 'If-Match': etag2 } }), 404, 'DELETE after DELETE');
    });

    test('If-Match: * replaces whatever version is current', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      const created = await call(`/${collection}`, { method: 'POST', json: { name: `star ${RUN}`, definition: valid } });
      assert.equal(created.status, 201);
      const path = `/${collection}/${encodeURIComponent(created.body.id)}`;
      const put = await call(path, { method: 'PUT', json: { name: `star ${RUN} 2`, definition: changed }, headers: { 'If-Match': '*' } });
      assert.equal(put.status, 200);
      assert.equal(put.body.version, 2);
      const del = await call(path, { method: 'DELETE', headers: { 'If-Match': put.headers.get('etag') } });
      assert.equal(del.status, 204);
    });

    test('concurrent writers holding the same ETag: exactly one PUT wins, the others get 412', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      const created = await call(`/${collection}`, { method: 'POST', json: { name: `race ${RUN}`, definition: valid } });
      assert.equal(created.status, 201);
      const path = `/${collection}/${encodeURIComponent(created.body.id)}`;
      const etag = created.headers.get('etag');
      const writers = Array.from({ length: 6 }, (_, i) =>
        call(path, { method: 'PUT', json: { name: `race ${RUN} writer ${i}`, definition: changed }, headers: { 'If-Match': etag } }));
      const results = await Promise.all(writers);
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 412, 412, 412, 412, 412], `statuses ${statuses}`);
      const winner = results.find((r) => r.status === 200);
      const now = await call(path);
      assert.equal(now.body.version, 2, 'one update happened');
      assert.equal(now.body.name, winner.body.name, 'the winner is what is stored');
    });

    test('concurrent POSTs with the same Idempotency-Key create one definition', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      const key = randomUUID();
      const input = { name: `concurrent idempotent ${RUN} ${collection}`, definition: valid };
      const results = await Promise.all(Array.from({ length: 4 }, () =>
        call(`/${collection}`, { method: 'POST', json: input, headers: { 'Idempotency-Key': key } })));
      const created = results.filter((r) => r.status === 201);
      assert.ok(created.length >= 1, `statuses ${results.map((r) => r.status)}`);
      for (const r of results) assert.ok(r.status === 201 || r.status === 409, `status ${r.status}`);
      assert.equal(new Set(created.map((r) => r.body.id)).size, 1, 'every 201 names the same definition');
      const all = await listAll(`/${collection}`, {});
      assert.equal(all.rows.filter((d) => d.name === input.name).length, 1, 'exactly one was stored');
    });

    test('GET of an unknown id is a 404 problem', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      assertProblem(await call(`/${collection}/no-such-id-${RUN}`), 404, 'unknown id');
    });

    test('POST with the same Idempotency-Key twice creates one definition; another body is refused', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      const key = randomUUID();
      const input = { name: `idempotent ${RUN} ${collection}`, definition: valid };
      const first = await call(`/${collection}`, { method: 'POST', json: input, headers: { 'Idempotency-Key': key } });
      assert.equal(first.status, 201, first.text.slice(0, 300));
      const retry = await call(`/${collection}`, { method: 'POST', json: input, headers: { 'Idempotency-Key': key } });
      assert.equal(retry.status, 201, 'a retry gets the first answer again');
      assert.equal(retry.body.id, first.body.id, 'the same definition');
      const all = await listAll(`/${collection}`, {});
      assert.equal(all.rows.filter((d) => d.name === input.name).length, 1, 'exactly one was created');
      const other = await call(`/${collection}`, {
        method: 'POST', json: { ...input, name: `${input.name} other` }, headers: { 'Idempotency-Key': key },
      });
      assert.ok([409, 422].includes(other.status), `the same key with another body: ${other.status}`);
      assertProblem(other, other.status, 'key reuse');
      const fresh = await call(`/${collection}`, { method: 'POST', json: input, headers: { 'Idempotency-Key': randomUUID() } });
      assert.equal(fresh.status, 201);
      assert.notEqual(fresh.body.id, first.body.id, 'a new key creates a new definition');
    });

    test('the list is paged and each definition carries name, owner, timestamps and version', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      for (let i = 0; i < 3; i++) {
        const res = await call(`/${collection}`, { method: 'POST', json: { name: `list ${RUN} ${i}`, definition: valid } });
        assert.equal(res.status, 201);
      }
      const paged = await listAll(`/${collection}`, { limit: 2 });
      const ids = paged.rows.map((d) => d.id);
      assert.equal(new Set(ids).size, ids.length, 'no definition twice');
      assert.ok(paged.rows.filter((d) => d.name.startsWith(`list ${RUN} `)).length === 3);
      assert.ok(paged.pages >= 2);
      for (const d of paged.rows) {
        assert.equal(typeof d.name, 'string');
        assert.ok(Number.isInteger(d.version) && d.version >= 1);
        assert.ok(d.owner === null || typeof d.owner === 'string');
        assert.ok(!Number.isNaN(Date.parse(d.created_at)));
      }
      const list = await call(`/${collection}`);
      const etag = strongEtag(list, 'list');
      assert.ok(etag);
    });

    test('invalid bodies: 422 problem+json with a JSON Pointer per bad field, 400 for non-JSON, 415 for other media types', async (t) => {
      if (skip()) return t.skip(`capabilities.${collection} is false`);
      const bad = await call(`/${collection}`, { method: 'POST', json: { name: 42, description: ['x'], definition: 'nope' } });
      const problem = assertProblem(bad, 422, 'wrong field types');
      const pointers = (problem.errors ?? []).map((e) => e.pointer);
      for (const p of ['/name', '/description', '/definition']) assert.ok(pointers.includes(p), `points at ${p}: ${pointers}`);
      for (const e of problem.errors) assert.equal(typeof e.detail, 'string');

      const missing = assertProblem(await call(`/${collection}`, { method: 'POST', json: { description: 'x' } }), 422, 'missing fields');
      const missingPointers = missing.errors.map((e) => e.pointer);
      assert.ok(missingPointers.includes('/name') && missingPointers.includes('/definition'), `${missingPointers}`);

      assertProblem(await call(`/${collection}`, { method: 'POST', raw: '{"name": "x", "definition": {', headers: { 'Content-Type': 'application/json' } }),
        400, 'truncated JSON');
      assertProblem(await call(`/${collection}`, { method: 'POST', raw: 'name=x', headers: { 'Content-Type': 'text/plain' } }),
        415, 'not JSON media type');

      // A PUT is validated too, and a bad PUT changes nothing.
      const created = await call(`/${collection}`, { method: 'POST', json: { name: `valid ${RUN}`, definition: valid } });
      const path = `/${collection}/${encodeURIComponent(created.body.id)}`;
      const badPut = await call(path, { method: 'PUT', json: { name: '', definition: valid }, headers: { 'If-Match': created.headers.get('etag') } });
      assert.ok(assertProblem(badPut, 422, 'empty name').errors.some((e) => e.pointer === '/name'));
      const after = await call(path);
      assert.equal(after.body.version, 1, 'the invalid PUT changed nothing');
    });
  });
}

test('a segment rule that the engine cannot read is pointed at inside the definition', async (t) => {
  if (!capabilities.segments) return t.skip('capabilities.segments is false');
  const definition = {
    rule: 'all',
    rules: [
      { rule: 'performed', event: { event: 'visit' } },
      { rule: 'any', rules: [{ rule: 'performed', event: { event: 'visit' }, window: { last_days: 'ninety' } }] },
    ],
  };
  const res = await call('/segments', { method: 'POST', json: { name: `bad rule ${RUN}`, definition } });
  const problem = assertProblem(res, 422, 'bad rule');
  assert.ok(problem.errors.some((e) => e.pointer.startsWith('/definition/rules/1')), JSON.stringify(problem.errors));
  const unknown = await call('/segments', { method: 'POST', json: { name: `bad rule ${RUN}`, definition: { rule: 'sometimes' } } });
  assert.ok(assertProblem(unknown, 422, 'unknown rule').errors.some((e) => e.pointer.startsWith('/definition')));
});
