// One HTTP/1.1 exchange over a plain socket, so a test can send exactly the bytes it means (fetch and http.request
// normalise paths such as /\js). The request asks for `connection: close`; the answer is read to its end.
import net from 'node:net';

/** Sends `head` (request line and headers, without the blank line) and `body`, and parses what comes back:
 * { status, headers, body (Buffer), raw } or { status: 0, error } when the connection ended with no answer. */
export function rawRequest(port, head, body = Buffer.alloc(0), { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    const chunks = [];
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(parse(Buffer.concat(chunks), error));
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => finish());
    sock.on('close', () => finish());
    // A reset after the answer was read still counts as answered: parse decides.
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => {
      sock.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]), () => {});
    });
  });
}

function parse(buf, error) {
  // Interim answers (100 Continue) come before the real one: skip them.
  while (/^HTTP\/1\.[01] 1\d\d /.test(buf.subarray(0, 13).toString('latin1')) && buf.indexOf('\r\n\r\n') >= 0) {
    buf = buf.subarray(buf.indexOf('\r\n\r\n') + 4);
  }
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: Buffer.alloc(0), raw: buf, error: error ?? new Error('no header') };
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return { status: m ? Number(m[1]) : 0, headers, body, raw: buf, error: m ? undefined : error };
}

function unchunk(buf) {
  const out = [];
  let i = 0;
  while (i < buf.length) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) break;
    const n = parseInt(buf.subarray(i, eol).toString('latin1'), 16);
    if (!(n > 0)) break;
    out.push(buf.subarray(eol + 2, eol + 2 + n));
    i = eol + 2 + n + 2;
  }
  return Buffer.concat(out);
}

/** GET (or another method) of an exact raw path. */
export const rawGet = (port, rawPath, { method = 'GET', headers = [] } = {}) =>
  rawRequest(port, [`${method} ${rawPath} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...headers].join('\r\n'));
