// memory.js: reading and writing the module's memory: strings, byte blocks (ws_bytes), the scratch buffer.
import { BYTES_DATA } from './contract.js';
import { WasyncError } from './errors.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

export class Memory {
  #ex = null;
  #memory = null;
  #view = null;           // a Uint8Array over memory, renewed only when memory grows (or its buffer is detached)
  #dv = null;             // a DataView over memory, the same
  scratch = 0;            // address and size of the C scratch buffer for small outcomes
  scratchSize = 0;

  attach(ex) {
    this.#ex = ex;
    this.#memory = ex.memory;
    this.scratch = ex.wsx_scratch();
    this.scratchSize = ex.wsx_scratch_size();
  }

  grew() {
    this.#view = null;
    this.#dv = null;
  }
  get buffer() { return this.#memory.buffer; }

  u8() {
    // byteLength 0: the buffer was detached by a growth nobody announced (wasi-libc's sbrk, in a module linked by
    // wasync/cc, grows memory without emscripten_notify_memory_growth)
    if (this.#view === null || this.#view.byteLength === 0) this.#view = new Uint8Array(this.#memory.buffer);
    return this.#view;
  }

  dv() {
    if (this.#dv === null || this.#dv.buffer.byteLength === 0) this.#dv = new DataView(this.#memory.buffer); // as u8()
    return this.#dv;
  }

  str(ptr, len) {
    const u8 = this.u8();
    if (len <= 64) {
      // Names and small arguments are ASCII in practice: building the string directly avoids TextDecoder's
      // per-call cost, which dominated small host calls.
      let s = '';
      for (let i = 0; i < len; i++) {
        const c = u8[ptr + i];
        if (c >= 0x80) return text.decode(u8.subarray(ptr, ptr + len));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return text.decode(u8.subarray(ptr, ptr + len));
  }

  cstr(ptr) {
    const u8 = this.u8();
    let end = ptr;
    while (u8[end]) end++;
    return text.decode(u8.subarray(ptr, end));
  }

  /** The text of a ws_bytes block. */
  readBytes(block) {
    const len = new DataView(this.#memory.buffer).getUint32(block, true);
    return this.str(block + BYTES_DATA, len);
  }

  /** Writes `bytes` into a new ws_bytes block; returns its address or 0. One copy. */
  bytesBlock(bytes) {
    const block = this.#ex.wsx_bytes_alloc(bytes.length);
    if (block) this.u8().set(bytes, block + BYTES_DATA);
    return block;
  }

  /** Calls fn(ptr, len) with `s` copied into memory allocated for the call, freed afterwards. */
  withString(s, fn) {
    const bytes = utf8.encode(s);
    const ptr = bytes.length ? this.#ex.wsx_alloc(bytes.length) : 0;
    if (bytes.length && !ptr) throw new WasyncError('ENOMEM', 'out of memory');
    try {
      this.u8().set(bytes, ptr);
      return fn(ptr, bytes.length);
    } finally {
      if (ptr) this.#ex.wsx_free(ptr, bytes.length);
    }
  }

  /** Writes `s` as UTF-8 into the scratch buffer, from byte `at`; returns its length, or -1 if it does not fit. */
  writeScratch(s, at = 0) {
    const room = this.scratchSize - at;
    if (s.length > room) return -1;
    const u8 = this.u8();
    const base = this.scratch + at;
    if (s.length <= 64) {
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        u8[base + i] = c;
      }
      if (i === s.length) return i;
    }
    const r = utf8.encodeInto(s, u8.subarray(base, base + room));
    return r.read === s.length ? r.written : -1;
  }
}

/** Any host value as bytes: strings as UTF-8, bytes as they are, other values as text or JSON. Throws a
 * TypeError for a value that has no such form (a function or symbol; JSON.stringify's own errors pass through). */
export function toBytes(v) {
  if (typeof v === 'string') return utf8.encode(v);
  if (v === undefined || v === null) return new Uint8Array(0);
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return utf8.encode(String(v));
  const json = JSON.stringify(v);
  if (json === undefined) throw new TypeError(`a ${typeof v} has no JSON form`);
  return utf8.encode(json);
}

export { utf8 };
