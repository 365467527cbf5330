// Tests of the size-budget script on throw-away folders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { DEFAULT_BUDGET_KIB, measure } from './size-budget.mjs';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'size-budget.mjs');
const dirs = [];

async function fixture(files) {
  const dir = await mkdtemp(path.join(tmpdir(), 'size-budget-test-'));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), data);
  }
  return dir;
}

const run = (dir, env = {}) =>
  spawnSync(process.execPath, [script, dir], { encoding: 'utf8', env: { ...process.env, ...env } });

after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

test('measures .wasm and .js (also in subfolders), not other files', async () => {
  const dir = await fixture({
    'app_bg.wasm': Buffer.alloc(10_000),
    'app.js': 'console.log(1);'.repeat(100),
    'snippets/x/inline0.js': 'export const a = 1;',
    'index.html': '<!doctype html>',
    'demo/data.json': '{}',
  });
  const { rows, total } = await measure(dir);
  assert.deepEqual(rows.map((r) => r.file), ['app_bg.wasm', 'app.js', path.join('snippets', 'x', 'inline0.js')].sort((a, b) => a.localeCompare(b)));
  const wasm = rows.find((r) => r.file === 'app_bg.wasm');
  assert.equal(wasm.raw, 10_000);
  assert.ok(wasm.gzip < 200 && wasm.brotli < 200, 'zeros compress well');
  assert.equal(total.raw, rows.reduce((s, r) => s + r.raw, 0));
});

test('passes within the budget and prints the three sizes', async () => {
  const dir = await fixture({ 'app_bg.wasm': randomBytes(50_000), 'app.js': 'x' });
  const res = run(dir);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /file\s+raw\s+gzip\s+brotli/);
  assert.match(res.stdout, /total/);
  assert.match(res.stdout, new RegExp(`is within the budget of ${DEFAULT_BUDGET_KIB} KiB`));
});

test('fails above the default budget', async () => {
  // Random bytes do not compress: 20 KiB over the budget raw is about as much over gzip.
  const dir = await fixture({ 'app_bg.wasm': randomBytes((DEFAULT_BUDGET_KIB + 20) * 1024) });
  const res = run(dir);
  assert.equal(res.status, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /is OVER the budget/);
});

test('the budget can be changed by SIZE_BUDGET_GZIP_KIB', async () => {
  const dir = await fixture({ 'app_bg.wasm': randomBytes(60 * 1024) });
  assert.equal(run(dir, { SIZE_BUDGET_GZIP_KIB: '50' }).status, 1);
  assert.equal(run(dir, { SIZE_BUDGET_GZIP_KIB: '100' }).status, 0);
});

test('an empty or missing dist is an error, not a pass', async () => {
  const dir = await fixture({ 'index.html': '<!doctype html>' });
  assert.equal(run(dir).status, 2);
  assert.equal(run(path.join(dir, 'nope')).status, 2);
});
