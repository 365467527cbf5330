#!/usr/bin/env node
// The engine compiled to wasm, timed in headless Chromium on the same data as crm-lens-bench.
//
//   node bench/wasm-bench.mjs --data DIR [--dist target/bench-dist] [--queries bench/queries.json] [--repeat 5] [--json OUT]
//
// Serves the app's Trunk release build made with the `bench-export` feature
// (`trunk build --release --features bench-export --dist target/bench-dist`) and the dataset on a
// random local port, opens a page that loads its crm-lens.js, fetches the three JSON files and
// the queries, and calls the wasm export `crmLensBench` (src/bench_web.rs): the same loop as the native tool, timed with
// performance.now(). Fetching the files is not timed; ingest starts from their bytes in memory.
// Needs tests/e2e's node modules (playwright-core) and Chromium: see .ci/tools.sh.
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, watchErrors } from '../tests/e2e/helpers.mjs';
import { createHandler } from '../tests/e2e/serve-dist.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const args = { dist: path.join(ROOT, 'target', 'bench-dist'), queries: path.join(ROOT, 'bench', 'queries.json'), repeat: 5 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--data') args.data = path.resolve(value());
    else if (flag === '--dist') args.dist = path.resolve(value());
    else if (flag === '--queries') args.queries = path.resolve(value());
    else if (flag === '--repeat') args.repeat = Number(value());
    else if (flag === '--json') args.json = path.resolve(value());
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.data) throw new Error('--data DIR is required');
  if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new Error('--repeat expects a whole number ≥ 1');
  return args;
}

// A page that starts the wasm module the way Trunk's index.html does, without the app's styles.
const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>CRM Lens bench</title></head><body>
<script type="module">
import init, * as bindings from '/crm-lens.js';
await init({ module_or_path: '/crm-lens_bg.wasm' });
window.wasmBindings = bindings;
window.benchReady = true;
</script></body></html>`;

function serve(dist, data) {
  const app = createHandler(dist);
  const files = new Set(['meta.json', 'customers.json', 'events.json']);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/__bench.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(PAGE);
    }
    if (url.pathname.startsWith('/__data/') && files.has(url.pathname.slice(8))) {
      const body = await readFile(path.join(data, url.pathname.slice(8)));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      return res.end(body);
    }
    return app(req, res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const queries = await readFile(args.queries, 'utf8');
  const server = await serve(args.dist, args.data);
  const url = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${url}/__bench.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 120_000 });
    // The module's start function mounts the app, which loads the small demo data: let it settle.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(2000);
    const browserVersion = browser.version();
    const json = await page.evaluate(
      async ({ queries, repeat }) => {
        if (typeof window.wasmBindings?.crmLensBench !== 'function') {
          throw new Error('this build has no crmLensBench export: build it with trunk build --release --features bench-export');
        }
        const get = async (name) => new Uint8Array(await (await fetch(`/__data/${name}`)).arrayBuffer());
        const meta = await get('meta.json');
        const customers = await get('customers.json');
        const events = await get('events.json');
        const q = new TextEncoder().encode(queries);
        return window.wasmBindings.crmLensBench(meta, customers, events, q, repeat);
      },
      { queries, repeat: args.repeat },
    );
    const report = { browser: `Chromium ${browserVersion}`, ...JSON.parse(json) };
    const relevant = errors.filter((e) => !/config\.json|demo\//.test(e));
    if (relevant.length) console.error(`page errors:\n${relevant.join('\n')}`);
    console.log(`${report.browser}: ${report.customers} customers, ${report.events} events; median of ${args.repeat} runs`);
    console.log(`${'ingest (Store::from_json)'.padEnd(40)} ${report.ingest.median_ms.toFixed(1).padStart(10)}  ${report.ingest_mb_per_s.toFixed(0)} MB/s`);
    for (const q of report.queries) {
      console.log(`${q.name.padEnd(40)} ${q.median_ms.toFixed(2).padStart(10)}  ${JSON.stringify(q.check)}`);
    }
    console.log(`event columns: ${report.bytes_per_event.toFixed(1)} bytes per event (wasm32)`);
    if (args.json) await writeFile(args.json, JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    server.closeAllConnections?.();
    server.close();
  }
}

main().catch((err) => {
  console.error(`wasm-bench: ${err.stack || err.message}`);
  process.exit(1);
});
