// Tests of the dist/ static server on a throw-away fixture folder (no browser, no build).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startServer } from './serve-dist.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// Raw request so that paths like /../x reach the server unnormalised.
function request(base, urlPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = http.request({ hostname, port, path: urlPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function makeFixture() {
  const root = await mkdtemp(path.join(tmpdir(), 'serve-dist-test-'));
  await mkdir(path.join(root, 'embed'));
  await mkdir(path.join(root, 'demo'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title>APP-INDEX');
  await writeFile(path.join(root, 'embed', 'index.html'), '<!doctype html><title>host</title>EMBED-INDEX');
  await writeFile(path.join(root, 'crm-lens-abc_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(path.join(root, 'crm-lens-abc.js'), 'export default 1;');
  await writeFile(path.join(root, 'style-abc.css'), 'body{}');
  await writeFile(path.join(root, 'demo', 'customers.json'), '{"customers":[]}');
  await writeFile(path.join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(root, 'assets', 'blob.bin'), 'x');
  // A secret beside (not inside) the served root, to check traversal is refused.
  await writeFile(path.join(path.dirname(root), `${path.basename(root)}-secret.txt`), 'SECRET');
  return root;
}

describe('serve-dist', () => {
  let root;
  let srv;

  before(async () => {
    root = await makeFixture();
    srv = await startServer({ root, port: 0 });
  });

  after(async () => {
    await srv?.close();
    await rm(root, { recursive: true, force: true });
    await rm(path.join(path.dirname(root), `${path.basename(root)}-secret.txt`), { force: true });
  });

  test('listens on 127.0.0.1 on the random port it reports', () => {
    assert.ok(srv.port > 0);
    assert.equal(srv.url, `http://127.0.0.1:${srv.port}`);
    assert.equal(srv.server.address().address, '127.0.0.1');
  });

  test('serves files with the right MIME types', async () => {
    const cases = {
      '/crm-lens-abc_bg.wasm': 'application/wasm',
      '/crm-lens-abc.js': 'text/javascript; charset=utf-8',
      '/style-abc.css': 'text/css; charset=utf-8',
      '/demo/customers.json': 'application/json; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/assets/blob.bin': 'application/octet-stream',
      '/index.html': 'text/html; charset=utf-8',
    };
    for (const [urlPath, type] of Object.entries(cases)) {
      const res = await request(srv.url, urlPath);
      assert.equal(res.status, 200, urlPath);
      assert.equal(res.headers['content-type'], type, urlPath);
    }
    const wasm = await request(srv.url, '/crm-lens-abc_bg.wasm');
    assert.deepEqual([...wasm.body], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    assert.equal(wasm.headers['content-length'], '8');
  });

  test('/ is the app page', async () => {
    const res = await request(srv.url, '/');
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /APP-INDEX/);
  });

  test('app routes without a file fall back to index.html', async () => {
    for (const urlPath of ['/customers', '/cohorts', '/segments/some-id', '/journeys?x=1', '/v1.2/deep']) {
      const res = await request(srv.url, urlPath);
      assert.equal(res.status, 200, urlPath);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', urlPath);
      assert.match(res.body.toString(), /APP-INDEX/, urlPath);
    }
  });

  test('/embed/ routes fall back to embed/index.html', async () => {
    for (const urlPath of ['/embed/', '/embed/segments', '/embed/cohorts/2024-01']) {
      const res = await request(srv.url, urlPath);
      assert.equal(res.status, 200, urlPath);
      assert.match(res.body.toString(), /EMBED-INDEX/, urlPath);
    }
    // Not under /embed/: the standalone app.
    const other = await request(srv.url, '/embedded');
    assert.match(other.body.toString(), /APP-INDEX/);
  });

  test('a folder without its slash is redirected', async () => {
    const res = await request(srv.url, '/embed?lang=en');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/embed/?lang=en');
  });

  test('missing files with an extension are 404', async () => {
    for (const urlPath of ['/missing.js', '/crm-lens-old_bg.wasm', '/embed/missing.png', '/demo/nope.json', '/favicon.ico']) {
      const res = await request(srv.url, urlPath);
      assert.equal(res.status, 404, urlPath);
    }
  });

  test('never serves files outside the root', async () => {
    const name = `${path.basename(root)}-secret.txt`;
    for (const urlPath of [`/../${name}`, `/%2e%2e/${name}`, `/demo/..%2f..%2f${name}`]) {
      const res = await request(srv.url, urlPath);
      assert.notEqual(res.body.toString(), 'SECRET', urlPath);
      assert.equal(res.status, 404, urlPath);
    }
    assert.equal((await request(srv.url, '/%E0%A4%A')).status, 400);
  });

  test('HEAD has headers and no body; other methods are refused', async () => {
    const head = await request(srv.url, '/crm-lens-abc.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String('export default 1;'.length));
    assert.equal(head.body.length, 0);
    const post = await request(srv.url, '/', 'POST');
    assert.equal(post.status, 405);
  });

  test('the command line prints the port it listens on', async () => {
    const child = spawn(process.execPath, [path.join(here, 'serve-dist.mjs'), root, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/serving .* at (http:\/\/127\.0\.0\.1:\d+)\//);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`server exited early with ${code}: ${out}`)));
      });
      const res = await request(url, '/embed/journeys');
      assert.equal(res.status, 200);
      assert.match(res.body.toString(), /EMBED-INDEX/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
