#!/usr/bin/env node
// Local dev server for the wasync playground. Node's http module only, no dependencies.
//   node web/server.js [--port N] [--host 127.0.0.1] [--pkg DIR]
// Serves playground/ at /, the npm package at /pkg/ (the playground loads its examples module,
// /pkg/dist/wasync-examples.wasm), the in-page C compiler at /vendor/ (below), and a few /api/* endpoints the fetch
// examples and the browser tests use (delays, status codes, echo, dropped connections, abort counting).
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
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

const MAX_BODY = 1 << 20;
// A body over MAX_BODY is read to its end and thrown away, so the client (still sending) can read the 413; one
// over MAX_DRAIN is not worth draining and the connection is dropped.
const MAX_DRAIN = 64 * MAX_BODY;

class BodyTooLarge extends Error {}

function readBody(req, limit = MAX_BODY) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_DRAIN) {
      reject(new BodyTooLarge(`body of ${declared} bytes is over the ${limit}-byte limit`));
      return;
    }
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_DRAIN) { req.destroy(); return; }
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => {
      if (size > limit) reject(new BodyTooLarge(`body of ${size} bytes is over the ${limit}-byte limit`));
      else resolve(Buffer.concat(chunks));
    });
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

// Serves `rel` (the raw, still encoded URL path below the mount point `mount`, such as '/' or '/pkg/') from
// `base`, a directory given by its real path. Symbolic links are followed only while their target stays under
// `base`: a link that leads out of it is answered like a missing file.
function serveFile(req, res, base, mount, rel, cache) {
  if (/(^|\/)\.\.(\/|$)/.test(rel) || /%2e%2e|%2f|%5c/i.test(rel)) return sendJson(res, 403, { error: 'forbidden' });
  const file = safeJoin(base, rel);
  if (!file) return sendJson(res, 403, { error: 'forbidden' });
  fs.realpath(file, (err, real) => {
    if (err) return sendJson(res, 404, { error: 'not found' });
    if (!inside(base, real)) return sendJson(res, 404, { error: 'not found' });
    fs.stat(real, (err2, st) => {
      if (err2) return sendJson(res, 404, { error: 'not found' });
      if (st.isDirectory()) {
        if (!rel.endsWith('/') && rel !== '') return redirectToDir(req, res, base, mount, file);
        return serveFile(req, res, base, mount, rel + 'index.html');
      }
      if (!st.isFile()) return sendJson(res, 404, { error: 'not found' });
      sendFile(req, res, real, st, cache);
    });
  });
}

function inside(base, full) {
  return full === base || full.startsWith(base + path.sep);
}

// A directory asked for without its trailing slash. The location is rebuilt from the resolved path, one encoded
// segment at a time, never copied from the request: '//js' or '/\js' copied back would read as another host.
function redirectToDir(req, res, base, mount, file) {
  const segments = path.relative(base, file).split(path.sep).filter(Boolean).map(encodeURIComponent);
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
  res.writeHead(301, { location: mount + segments.map((x) => x + '/').join('') + query });
  res.end();
}

// `no-cache` files carry an ETag (size and modification time), so a browser revalidates them with a 304 instead of
// downloading them again: the playground's second visit fetches only what changed.
function sendFile(req, res, file, st, cache = 'no-cache') {
  const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
  const etag = `W/"${st.size.toString(16)}-${Math.round(st.mtimeMs * 1000).toString(16)}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': cache });
    return res.end();
  }
  res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'cache-control': cache, etag });
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

// The in-page C compiler (the playground's editor, docs/playground.md): the files of npm packages the page runs
// as they are, from node_modules. Each is served under a path that carries its installed version,
// /vendor/<name>@<version>/<file>, so it can be cached for a year (a new version is a new URL); /vendor/index.json
// (never cached) tells the page those paths and the sizes, for a progress bar in bytes. Only the listed files of
// the listed packages are served: node_modules as a whole stays private.
// `replace`: a file the build makes smaller (scripts/build-cc-resources.mjs: the C-only sysroot), served in the
// package's file's place when it exists; the path then carries a hash of it too (…@<version>+<hash>/), so a
// rebuilt subset is a new URL.
const VENDOR = {
  '@yowasp/clang': {
    dir: 'gen',
    files: /^(bundle\.js|llvm\.core\d*\.wasm|llvm-resources\.tar)$/,
    replace: { 'llvm-resources.tar': 'llvm-resources-c.tar' },
  },
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

function vendorPackages(modules, dist) {
  const out = {};
  for (const [name, { dir, files, replace = {} }] of Object.entries(VENDOR)) {
    let version;
    try { version = JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version; } catch { continue; }
    const base = realOrResolved(path.join(modules, name, dir));
    let list;
    try {
      // a link that leads out of the package is not one of its files
      list = fs.readdirSync(base).filter((f) => files.test(f) && inside(base, realOrResolved(path.join(base, f))));
    } catch { continue; }
    const served = {}; // file -> { base, rel, size }
    const hash = crypto.createHash('sha256');
    for (const f of list) {
      const sub = Object.hasOwn(replace, f) && dist ? path.join(dist, replace[f]) : null;
      if (sub && fs.existsSync(sub)) {
        served[f] = { base: realOrResolved(dist), rel: replace[f], size: fs.statSync(sub).size };
        hash.update(f).update(fs.readFileSync(sub));
      } else {
        served[f] = { base, rel: f, size: fs.statSync(path.join(base, f)).size };
      }
    }
    const replaced = Object.values(served).some((v) => v.base !== base);
    const tag = replaced ? `${version}+${hash.digest('hex').slice(0, 10)}` : version;
    const sizes = Object.fromEntries(Object.entries(served).map(([f, v]) => [f, v.size]));
    out[name] = { tag, version, served, url: `/vendor/${name}@${tag}/`, files: sizes, bytes: Object.values(sizes).reduce((a, b) => a + b, 0) };
  }
  return out;
}

function serveVendor(req, res, vendor, rel) {
  if (rel === 'index.json') {
    const list = Object.fromEntries(Object.entries(vendor).map(([n, v]) => [n, { version: v.version, url: v.url, files: v.files, bytes: v.bytes }]));
    return sendJson(res, 200, list);
  }
  for (const [name, v] of Object.entries(vendor)) {
    const prefix = `${name}@${v.tag}/`;
    if (!rel.startsWith(prefix)) continue;
    const file = rel.slice(prefix.length);
    if (!Object.hasOwn(v.served, file)) break;
    const { base, rel: real } = v.served[file];
    return serveFile(req, res, base, v.url, encodeURIComponent(real), IMMUTABLE);
  }
  return sendJson(res, 404, { error: 'not found' });
}

function realOrResolved(dir) {
  const full = path.resolve(dir);
  try { return fs.realpathSync(full); } catch { return full; }
}

export function startServer({ port = 0, host = '127.0.0.1', pkgDir, root, modules, vendorDist } = {}) {
  // Real paths, so that a root reached through a symbolic link still contains its own files.
  const rootDir = realOrResolved(root || path.join(REPO, 'playground'));
  const pkg = realOrResolved(pkgDir || process.env.WASYNC_PKG_DIR || path.join(REPO, 'wasm'));
  // node_modules, and the folder of the files built to replace some of theirs (scripts/build-cc-resources.mjs)
  const vendor = vendorPackages(modules || path.join(REPO, 'node_modules'), vendorDist === undefined ? path.join(REPO, 'playground', 'dist') : vendorDist);
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
      try {
        body = await readBody(req);
      } catch (e) {
        if (e instanceof BodyTooLarge) return sendJson(res, 413, { error: e.message }, { connection: 'close' });
        throw e;
      }
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
    if (raw.startsWith('/pkg/')) return serveFile(req, res, pkg, '/pkg/', raw.slice('/pkg/'.length));
    if (raw.startsWith('/vendor/')) return serveVendor(req, res, vendor, raw.slice('/vendor/'.length));
    return serveFile(req, res, rootDir, '/', raw.slice(1));
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
