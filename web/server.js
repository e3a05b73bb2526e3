#!/usr/bin/env node
// Local dev server for the wasync playground. Node's http module only, no dependencies.
//   node web/server.js [--port N] [--host 127.0.0.1] [--pkg DIR]
// Serves playground/ at /, the npm package at /pkg/ (the playground loads its examples module,
// /pkg/dist/wasync-examples.wasm), and a few /api/* endpoints the fetch examples and the browser tests use
// (delays, status codes, echo, dropped connections, abort counting).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.c': 'text/plain; charset=utf-8',
  '.h': 'text/plain; charset=utf-8',
  '.rs': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

const MAX_DELAY_MS = 10_000;
const MAX_BYTES = 16 * 1024 * 1024;

function sendJson(res, status, obj, extra = {}) {
  const body = JSON.stringify(obj);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    ...extra,
  });
  res.end(body);
}

// Deterministic filler: byte i is (i * 31 + 7) & 0xff, so clients can check what they received.
function filler(n) {
  const buf = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) buf[i] = (i * 31 + 7) & 0xff;
  return buf;
}

// Parses a non-negative integer query value; returns undefined when absent, NaN when invalid.
function intParam(q, name) {
  if (!q.has(name)) return undefined;
  const s = q.get(name);
  if (!/^\d{1,9}$/.test(s)) return NaN;
  return Number(s);
}

function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Resolves a URL path under `base`; null when the path escapes it or is malformed.
function safeJoin(base, urlPath) {
  let decoded;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const parts = decoded.split(/[\\/]+/);
  if (parts.includes('..')) return null;
  const full = path.resolve(base, '.' + path.posix.normalize('/' + parts.join('/')));
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  return full;
}

function serveFile(req, res, base, rel) {
  if (/(^|\/)\.\.(\/|$)/.test(rel) || /%2e%2e|%2f|%5c/i.test(rel)) return sendJson(res, 403, { error: 'forbidden' });
  let file = safeJoin(base, rel);
  if (!file) return sendJson(res, 403, { error: 'forbidden' });
  fs.stat(file, (err, st) => {
    if (!err && st.isDirectory()) {
      if (!req.url.split('?')[0].endsWith('/')) {
        res.writeHead(301, { location: req.url.split('?')[0] + '/' });
        return res.end();
      }
      file = path.join(file, 'index.html');
      return serveFile2(req, res, file);
    }
    if (err) return sendJson(res, 404, { error: 'not found' });
    serveFile2(req, res, file, st);
  });
}

function serveFile2(req, res, file, st) {
  const go = (s) => {
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': s.size, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };
  if (st) return go(st);
  fs.stat(file, (err, s) => (err || !s.isFile() ? sendJson(res, 404, { error: 'not found' }) : go(s)));
}

export function startServer({ port = 0, host = '127.0.0.1', pkgDir, root } = {}) {
  const rootDir = path.resolve(root || path.join(REPO, 'playground'));
  const pkg = path.resolve(pkgDir || process.env.WASYNC_PKG_DIR || path.join(REPO, 'wasm'));
  const stats = { requests: 0, aborted: 0 };
  const sockets = new Set();

  async function api(req, res, url) {
    const route = url.pathname;
    if (route === '/api/stats') {
      if (req.method === 'GET') return sendJson(res, 200, { ...stats });
      return sendJson(res, 405, { error: 'use GET' });
    }
    if (route === '/api/stats/reset') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
      stats.requests = 0;
      stats.aborted = 0;
      return sendJson(res, 200, { ...stats });
    }

    // Everything below counts as a test request; stats endpoints above do not.
    stats.requests++;
    // 'close' on the response before it finished means the client went away first.
    res.on('close', () => { if (!res.writableFinished) stats.aborted++; });

    if (route === '/api/delay') {
      if (req.method !== 'GET' && req.method !== 'POST') return sendJson(res, 405, { error: 'use GET or POST' });
      const q = url.searchParams;
      const ms = intParam(q, 'ms') ?? 0;
      const bytes = intParam(q, 'bytes') ?? 0;
      const status = intParam(q, 'status') ?? 200;
      if (Number.isNaN(ms) || ms > MAX_DELAY_MS) return sendJson(res, 400, { error: `ms must be an integer 0..${MAX_DELAY_MS}` });
      if (Number.isNaN(bytes) || bytes > MAX_BYTES) return sendJson(res, 400, { error: `bytes must be an integer 0..${MAX_BYTES}` });
      if (Number.isNaN(status) || status < 200 || status > 599) return sendJson(res, 400, { error: 'status must be an integer 200..599' });
      if (req.method === 'POST') await readBody(req).catch(() => null);
      const timer = setTimeout(() => {
        if (res.destroyed) return;
        const body = filler(bytes);
        res.writeHead(status, {
          'content-type': 'application/octet-stream',
          'content-length': body.length,
          'cache-control': 'no-cache',
          'x-wasync-delay': String(ms),
          'access-control-allow-origin': '*',
          'access-control-expose-headers': 'x-wasync-delay',
        });
        res.end(body);
      }, ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    // /api/page/N: the crawler example's pages, deterministic by N: N % 10 == 3 answers HTTP 500, N % 10 == 7
    // takes 1500 ms, N % 25 == 24 breaks the connection, any other answers 100 + N bytes after 10 + (N * 37) % 90 ms
    // (far from the example's 500 ms timeout either way, so a loaded machine does not change the outcome).
    const page = /^\/api\/page\/(\d{1,6})$/.exec(route);
    if (page) {
      const n = Number(page[1]);
      if (n % 25 === 24) { req.socket.destroy(); return; }
      const ms = n % 10 === 7 ? 1500 : 10 + ((n * 37) % 90);
      const timer = setTimeout(() => {
        if (res.destroyed) return;
        if (n % 10 === 3) return sendJson(res, 500, { error: `page ${n} fails` });
        const body = filler(100 + n);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
        res.end(body);
      }, ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    const m = /^\/api\/status\/(\d{3})$/.exec(route);
    if (m) {
      const code = Number(m[1]);
      if (code < 200 || code > 599) return sendJson(res, 400, { error: 'status must be 200..599' });
      return sendJson(res, code, { status: code });
    }
    if (route === '/api/echo') {
      let body;
      try { body = await readBody(req); } catch (e) { return sendJson(res, 413, { error: e.message }); }
      return sendJson(res, 200, { method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') });
    }
    if (route === '/api/close') {
      req.socket.destroy();
      return;
    }
    return sendJson(res, 404, { error: 'unknown endpoint' });
  }

  const server = http.createServer((req, res) => {
    let url;
    try { url = new URL(req.url, 'http://localhost'); } catch { return sendJson(res, 400, { error: 'bad url' }); }
    const p = url.pathname;
    if (p.startsWith('/api/')) {
      api(req, res, url).catch((e) => { if (!res.headersSent) sendJson(res, 500, { error: String(e && e.message) }); });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    // Use the raw path so encoded traversal (%2e%2e) is seen before URL normalisation hides it.
    const raw = req.url.split('?')[0].split('#')[0];
    if (raw === '/pkg') { res.writeHead(301, { location: '/pkg/' }); return res.end(); }
    if (raw.startsWith('/pkg/')) return serveFile(req, res, pkg, raw.slice('/pkg/'.length));
    return serveFile(req, res, rootDir, raw.slice(1));
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}/`,
        port: actual,
        pkgDir: pkg,
        server,
        stats,
        close() {
          return new Promise((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          });
        },
      });
    });
  });
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]);
    if (k === '--port' || k === '-p') out.port = val();
    else if (k === '--host') out.host = val();
    else if (k === '--pkg') out.pkgDir = val();
    else if (k === '--root') out.root = val();
    else if (k === '--help' || k === '-h') out.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return out;
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
  if (args.help) {
    console.log('usage: node web/server.js [--port N] [--host 127.0.0.1] [--pkg DIR] [--root DIR]');
    return;
  }
  const portStr = args.port ?? process.env.PORT ?? '8080';
  const port = Number(portStr);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { console.error(`bad port: ${portStr}`); process.exit(2); }
  const srv = await startServer({
    port,
    host: args.host || '127.0.0.1',
    pkgDir: args.pkgDir || process.env.WASYNC_PKG_DIR,
    root: args.root,
  }).catch((e) => { console.error(`wasync playground: ${e.message}`); process.exit(1); });
  console.log(`wasync playground: ${srv.url}`);
  // A build from before the examples moved to their own module serves a playground with nothing to run.
  const examples = path.join(srv.pkgDir, 'dist', 'wasync-examples.wasm');
  if (!fs.existsSync(examples)) console.warn(`wasync playground: ${examples} is missing: build it with bash scripts/build-wasm.sh`);
  const stop = () => srv.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
