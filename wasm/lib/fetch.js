// fetch.js: ws_fetch, a C future that awaits fetch(). The request comes as strings in wasm memory; the response
// goes back as one ws_bytes block (layout: FETCH_BLOCK in contract.js, from wsx_abi.h): status, header text, NUL,
// body. Dropping the future aborts the request through its AbortController (HostOps.cancel).
import { ERRORS, FETCH_BLOCK, BYTES_DATA } from './contract.js';
import { messageOf, oneLine } from './errors.js';
import { utf8 } from './memory.js';

const { EHOST, ENOMEM } = ERRORS;
const OK = 0;

/** Import fetch_start, for `ops` (a HostOps). Returns OK: every failure is settled as the operation's outcome. */
export function startFetch(ops, mem, slot, gen, mp, ml, up, ul, hp, hl, bp, bl) {
  const method = mem.str(mp, ml);
  const rawUrl = mem.str(up, ul);
  const headerText = mem.str(hp, hl);
  const body = bl ? mem.u8().slice(bp, bp + bl) : undefined; // copied: memory may grow before fetch reads it
  const controller = new AbortController();
  ops.started(slot, gen, controller);
  const fail = (e) => ops.settle(slot, gen, EHOST, `fetch ${oneLine(rawUrl, 200)} failed: ${oneLine(messageOf(e, 'network error'), 1000)}`);
  let url;
  try {
    url = new URL(rawUrl, ops.baseUrl);
  } catch {
    queueMicrotask(() => fail(new TypeError(ops.baseUrl ? 'invalid URL' : 'a relative URL needs the baseUrl option')));
    return OK;
  }
  const headers = new Headers();
  try {
    for (const line of headerText.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
  } catch (e) {
    queueMicrotask(() => fail(e));
    return OK;
  }
  fetch(url, { method, headers, body, signal: controller.signal })
    .then(async (res) => {
      const data = new Uint8Array(await res.arrayBuffer());
      let hs = '';
      for (const [k, v] of res.headers) hs += `${k}: ${v}\n`;
      if (!ops.claim(slot, gen)) return;
      ops.complete(() => deliver(ops.ex, mem, slot, gen, res.status, utf8.encode(hs), data));
    })
    .catch(fail);
  return OK;
}

// The response as one block; the body is copied once.
function deliver(ex, mem, slot, gen, status, headers, body) {
  const block = ex.wsx_bytes_alloc(FETCH_BLOCK.HEADERS + headers.length + 1 + body.length);
  if (block) {
    const u8 = mem.u8();
    const data = block + BYTES_DATA;
    const dv = new DataView(mem.buffer);
    dv.setUint32(data + FETCH_BLOCK.STATUS, status, true);
    dv.setUint32(data + FETCH_BLOCK.HEADERS_LEN, headers.length, true);
    u8.set(headers, data + FETCH_BLOCK.HEADERS);
    u8[data + FETCH_BLOCK.HEADERS + headers.length] = 0;
    u8.set(body, data + FETCH_BLOCK.HEADERS + headers.length + 1);
  }
  ex.wsx_op_complete(slot, gen, block ? OK : ENOMEM, block);
}
