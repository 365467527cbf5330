// GET /meta, strong ETags with If-None-Match → 304 on every read, and problem+json for unknown paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertProblem, call, strongEtag } from './helpers.mjs';

test('GET /meta describes the dataset and the capabilities', async () => {
  const res = await call('/meta');
  assert.equal(res.status, 200, res.text.slice(0, 300));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const meta = res.body;
  assert.equal(meta.v, 1);
  assert.match(meta.currency, /^[A-Z]{3}$/, 'currency is ISO 4217');
  assert.equal(typeof meta.time_zone, 'string');
  assert.ok(meta.time_zone.includes('/') || meta.time_zone === 'UTC', `time_zone ${meta.time_zone} is an IANA name`);
  assert.ok(Array.isArray(meta.event_types) && meta.event_types.length > 0, 'event_types');
  for (const t of meta.event_types) {
    assert.equal(typeof t.name, 'string');
    if (t.properties !== undefined) assert.ok(Array.isArray(t.properties), `${t.name}.properties`);
    if (t.has_value !== undefined) assert.equal(typeof t.has_value, 'boolean', `${t.name}.has_value`);
  }
  assert.ok(Array.isArray(meta.attributes), 'attributes');
  for (const a of meta.attributes) {
    assert.equal(typeof a.name, 'string');
    assert.ok(['text', 'number', 'bool', 'date', 'list'].includes(a.type), `${a.name}: type ${a.type}`);
  }
  assert.equal(typeof meta.capabilities, 'object', 'capabilities (contract v1)');
  for (const key of ['since', 'segments', 'journeys']) {
    assert.equal(typeof meta.capabilities[key], 'boolean', `capabilities.${key}`);
  }
  if (meta.capabilities.max_page_size !== undefined) {
    assert.ok(Number.isInteger(meta.capabilities.max_page_size) && meta.capabilities.max_page_size >= 1);
  }
});

for (const path of ['/meta', '/customers?limit=5', '/events?limit=5']) {
  test(`GET ${path}: strong ETag, If-None-Match → 304 without a body, another tag → 200`, async () => {
    const first = await call(path);
    assert.equal(first.status, 200);
    const etag = strongEtag(first, path);
    const again = await call(path);
    // A listing's first page may carry a new server_time (so a new ETag); the tag must then
    // still describe exactly the body it came with.
    const second = await call(path, { headers: { 'If-None-Match': again.headers.get('etag') } });
    if (second.status === 200) {
      assert.notEqual(second.headers.get('etag'), again.headers.get('etag'), '200 only when the representation changed');
    } else {
      assert.equal(second.status, 304, `${path} with If-None-Match`);
      assert.equal(second.text, '', '304 has no body');
      assert.equal(second.headers.get('etag'), again.headers.get('etag'), '304 repeats the ETag');
    }
    const other = await call(path, { headers: { 'If-None-Match': '"not-the-current-tag"' } });
    assert.equal(other.status, 200);
    assert.ok(etag.length > 2);
  });
}

test('GET /meta answers 304 to If-None-Match with its ETag', async () => {
  const first = await call('/meta');
  const etag = strongEtag(first, '/meta');
  const second = await call('/meta', { headers: { 'If-None-Match': etag } });
  assert.equal(second.status, 304);
  const listed = await call('/meta', { headers: { 'If-None-Match': `"x", ${etag}` } });
  assert.equal(listed.status, 304, 'a list of tags containing the current one');
});

test('an unknown path is a 404 problem+json', async () => {
  const res = await call('/no-such-path-in-the-contract');
  assertProblem(res, 404, 'unknown path');
});
