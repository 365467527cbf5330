#!/usr/bin/env node
// A tiny static server for Trunk's dist/ folder, with no dependencies.
//
//   node tests/e2e/serve-dist.mjs [DIR] [--port N]   (DIR defaults to dist, N to $PORT or 0)
//
// Port 0 picks a free port; the server prints `serving DIR at http://127.0.0.1:PORT/`.
// Tests import { startServer } instead.
//
// Routing, as the app expects it:
// - a file that exists is served with its MIME type (.wasm as application/wasm);
// - a folder with index.html is served as that page (redirected to add the trailing slash);
// - a missing path whose last segment has no extension is an app route (SPA fallback):
//   under /embed/ it gets dist/embed/index.html, anywhere else dist/index.html;
// - a missing path with an extension is a 404.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

export function mimeType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function statOrNull(file) {
  try {
    return await stat(file);
  } catch {
    return null;
  }
}

/**
 * Decide what to answer for a URL path.
 * Returns { status: 200, file } | { status: 301, location } | { status: 400 | 404 }.
 */
export async function resolvePath(root, urlPath) {
  let pathname;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (!pathname.startsWith('/') || pathname.includes('\0')) return { status: 400 };

  // Normalise away `.` and `..` and refuse anything that would leave the root.
  const normal = path.posix.normalize(pathname);
  const file = path.join(root, normal);
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 404 };

  const info = await statOrNull(file);
  if (info?.isFile()) return { status: 200, file };
  if (info?.isDirectory()) {
    const index = path.join(file, 'index.html');
    if ((await statOrNull(index))?.isFile()) {
      if (!normal.endsWith('/')) return { status: 301, location: `${normal}/` };
      return { status: 200, file: index };
    }
  }

  // Missing: an app route when the last segment has no extension.
  const last = normal.split('/').filter(Boolean).pop() ?? '';
  if (path.posix.extname(last) !== '') return { status: 404 };
  const isEmbed = normal === '/embed' || normal.startsWith('/embed/');
  const fallback = path.join(root, isEmbed ? 'embed/index.html' : 'index.html');
  if ((await statOrNull(fallback))?.isFile()) return { status: 200, file: fallback };
  return { status: 404 };
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function createHandler(rootDir, { log = () => {} } = {}) {
  const root = path.resolve(rootDir);
  return async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      log(`${req.method} ${url.pathname} 405`);
      return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    }
    const found = await resolvePath(root, url.pathname);
    log(`${req.method} ${url.pathname} ${found.status}${found.file ? ` ${path.relative(root, found.file)}` : ''}`);
    if (found.status === 301) {
      return send(res, 301, `moved to ${found.location}\n`, { Location: found.location + url.search });
    }
    if (found.status !== 200) {
      return send(res, found.status, found.status === 404 ? 'not found\n' : 'bad request\n');
    }
    const info = await statOrNull(found.file);
    if (!info) return send(res, 404, 'not found\n');
    res.writeHead(200, {
      'Content-Type': mimeType(found.file),
      'Content-Length': info.size,
      // Always revalidate: tests and local runs must never see a stale build.
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/**
 * Start serving `root` on 127.0.0.1. Resolves to { server, port, url, close() }.
 */
export function startServer({ root = 'dist', port = 0, host = '127.0.0.1', log } = {}) {
  const server = http.createServer(createHandler(root, { log }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolve({
        server,
        port: actual,
        url: `http://${host}:${actual}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

function parseArgs(argv) {
  let root = 'dist';
  let port = Number(process.env.PORT ?? 0);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port' || arg === '-p') port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) port = Number(arg.slice('--port='.length));
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node serve-dist.mjs [DIR] [--port N]   (port 0 = any free port)');
      process.exit(0);
    } else root = arg;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve-dist: bad port '${port}'`);
    process.exit(2);
  }
  return { root, port };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { root, port } = parseArgs(process.argv.slice(2));
  const info = await statOrNull(path.join(root, 'index.html'));
  if (!info?.isFile()) {
    console.error(`serve-dist: ${path.resolve(root)}/index.html not found (run \`trunk build --release\` first)`);
    process.exit(1);
  }
  const quiet = process.env.SERVE_DIST_QUIET === '1';
  const { url } = await startServer({ root, port, log: quiet ? undefined : (line) => console.log(line) });
  console.log(`serving ${path.resolve(root)} at ${url}/`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}
