// fetch.js: ws_fetch, a C future that awaits fetch(). The request comes as strings in wasm memory; the response
// goes back as one ws_bytes block (layout: FETCH_BLOCK in contract.js, from wsx_abi.h): status, header text, NUL,
// body. Dropping the future aborts the request through its AbortController (HostOps.cancel). A streamed fetch
// (ws_fetch_stream_init) settles at the status and headers with a body stream id instead of the body; C reads the
// body a chunk per body_read operation (BodyStreams below), so each chunk is a future and a trace event.
import { ERRORS, FETCH_BLOCK, BYTES_DATA } from './contract.js';
import { messageOf, oneLine } from './errors.js';
import { utf8 } from './memory.js';

const { EHOST, ENOMEM } = ERRORS;
const OK = 0;

/** Import fetch_start, for `ops` (a HostOps). Returns OK: every failure is settled as the operation's outcome.
 * `stream`: settle at the status and headers, keeping the body as a stream C reads with body_read. */
export function startFetch(ops, mem, slot, gen, mp, ml, up, ul, hp, hl, bp, bl, stream) {
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
      let hs = '';
      for (const [k, v] of res.headers) hs += `${k}: ${v}\n`;
      if (stream) {
        if (!ops.claim(slot, gen)) {
          controller.abort();
          return;
        }
        const id = ops.streams.add(res.body ? res.body.getReader() : null, controller);
        ops.complete(() => deliver(ops.ex, mem, slot, gen, res.status, utf8.encode(hs), EMPTY, id));
        return;
      }
      const data = new Uint8Array(await res.arrayBuffer());
      if (!ops.claim(slot, gen)) return;
      ops.complete(() => deliver(ops.ex, mem, slot, gen, res.status, utf8.encode(hs), data, 0));
    })
    .catch(fail);
  return OK;
}

const EMPTY = new Uint8Array(0);

// The response as one block; the body is copied once.
function deliver(ex, mem, slot, gen, status, headers, body, stream) {
  const block = ex.wsx_bytes_alloc(FETCH_BLOCK.HEADERS + headers.length + 1 + body.length);
  if (block) {
    const u8 = mem.u8();
    const data = block + BYTES_DATA;
    const dv = new DataView(mem.buffer);
    dv.setUint32(data + FETCH_BLOCK.STATUS, status, true);
    dv.setUint32(data + FETCH_BLOCK.HEADERS_LEN, headers.length, true);
    dv.setUint32(data + FETCH_BLOCK.STREAM, stream, true);
    u8.set(headers, data + FETCH_BLOCK.HEADERS);
    u8[data + FETCH_BLOCK.HEADERS + headers.length] = 0;
    u8.set(body, data + FETCH_BLOCK.HEADERS + headers.length + 1);
  }
  ex.wsx_op_complete(slot, gen, block ? OK : ENOMEM, block);
}

/** The bodies of streamed responses, by id (never reused, so a closed one is told from an unknown one). */
export class BodyStreams {
  #open = new Map(); // id -> { reader, controller }
  #next = 1;

  add(reader, controller) {
    const id = this.#next++;
    this.#open.set(id, { reader, controller });
    return id;
  }

  /** Import body_read: reads the next chunk for C. Pull-based: nothing is read until C asks (backpressure). */
  read(ops, mem, slot, gen, id) {
    const s = this.#open.get(id);
    ops.started(slot, gen, { abort: () => this.close(id) }); // dropping the read closes the stream
    if (!s) {
      const why = id > 0 && id < this.#next ? `body stream ${id} is closed` : `no body stream ${id}`;
      queueMicrotask(() => ops.settle(slot, gen, ERRORS.EINVAL, why));
      return OK;
    }
    const next = () => (s.reader ? s.reader.read() : Promise.resolve({ done: true }));
    const step = ({ done, value }) => {
      if (!done && value.length === 0) return next().then(step); // empty chunks are skipped: no chunk means the end
      if (done) this.#open.delete(id);
      if (!ops.claim(slot, gen)) return undefined;
      ops.complete(() => {
        if (done) ops.ex.wsx_op_complete(slot, gen, OK, 0);
        else {
          const block = mem.bytesBlock(value);
          ops.ex.wsx_op_complete(slot, gen, block ? OK : ENOMEM, block);
        }
      });
      return undefined;
    };
    next().then(step).catch((e) => {
      this.close(id);
      ops.settle(slot, gen, EHOST, `fetch body failed: ${oneLine(messageOf(e, 'network error'), 1000)}`);
    });
    return OK;
  }

  /** Import body_close, and what dropping a read does: discard the rest of the body, abort the request. */
  close(id) {
    const s = this.#open.get(id);
    if (!s) return;
    this.#open.delete(id);
    s.reader?.cancel().catch(() => {});
    s.controller.abort();
  }

  closeAll() {
    for (const id of [...this.#open.keys()]) this.close(id);
  }
}
