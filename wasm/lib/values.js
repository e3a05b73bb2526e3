// values.js: typed values between C and JS (ws_value in wasm/src/ws_js.h; types and layout in contract.js).
//   C -> JS: number -> number, string -> string (UTF-8, NUL kept; invalid UTF-8 is an error), bytes -> a
//            Uint8Array copy, json -> parsed, handle -> the object it names, boolean -> boolean, bigint -> BigInt,
//            null -> null, undefined -> undefined.
//   JS -> C: number -> number, string -> string, Uint8Array / ArrayBuffer / other views -> bytes, boolean ->
//            boolean, a BigInt in int64 range -> bigint, null -> null, undefined -> undefined, rt.handle(object)
//            -> a handle, anything else (arrays, objects) -> json.
import { BYTES_DATA, VALUE_LAYOUT as L, VALUE_TYPES } from './contract.js';
import { WasyncError } from './errors.js';

/** The type numbers (ws_value_type) by upper-case name: T.NUMBER, T.HANDLE, ... */
export const T = Object.freeze(Object.fromEntries(VALUE_TYPES.map((name, i) => [name.toUpperCase(), i])));
const strict = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

/** What rt.handle(object) returns: resolve a host call with it and C gets a handle to `object`. */
export class HostHandle {
  constructor(object) {
    this.object = object;
  }
}

/** The objects C holds handles to. Ids are never reused, so a released one is recognised as such. */
export class Handles {
  #objects = new Map();
  #next = 1;

  add(object) {
    if (this.#next > 0xffffffff) throw new WasyncError('ENOMEM', 'out of handle numbers');
    const id = this.#next++;
    this.#objects.set(id, object);
    return id;
  }

  get(id) {
    const o = this.#objects.get(id);
    if (o !== undefined || this.#objects.has(id)) return o;
    throw new WasyncError('EINVAL', id > 0 && id < this.#next ? `handle ${id} was released` : `no handle ${id}`);
  }

  release(id) {
    this.#objects.delete(id);
  }

  get size() {
    return this.#objects.size;
  }
}

/** Reads `n` ws_values at `ptr`. Throws a WasyncError EINVAL naming the argument it cannot decode. */
export function readValues(mem, handles, ptr, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = readValue(mem, handles, ptr, i);
  return out;
}

/** Reads the ws_value number `i` of the array at `ptr` (see readValues). */
export function readValue(mem, handles, ptr, i) {
  const dv = mem.dv();
  const at = ptr + i * L.SIZE;
  const type = dv.getUint32(at + L.type, true);
  if (type === T.NUMBER) return dv.getFloat64(at + L.payload, true);
  const len = dv.getUint32(at + L.len, true);
  try {
    switch (type) {
      case T.UNDEFINED: return undefined;
      case T.NULL: return null;
      case T.BOOLEAN: return dv.getUint32(at + L.payload, true) !== 0;
      case T.BIGINT: return dv.getBigInt64(at + L.payload, true);
      case T.HANDLE: return handles.get(dv.getUint32(at + L.payload, true));
      case T.BYTES: {
        const p = dv.getUint32(at + L.payload, true);
        return mem.u8().slice(p, p + len);
      }
      case T.STRING:
      case T.JSON: {
        const p = dv.getUint32(at + L.payload, true);
        const s = strict.decode(mem.u8().subarray(p, p + len));
        return type === T.STRING ? s : JSON.parse(s);
      }
      default: throw new WasyncError('EINVAL', `unknown value type ${type}`);
    }
  } catch (e) {
    const why = e instanceof TypeError ? 'not valid UTF-8' : e.message;
    throw new WasyncError('EINVAL', `argument ${i}: ${why}`);
  }
}

/** Reads a typed block (a value C made with ws_value_new, or forwarded): the JS value. Throws EINVAL. */
export function readBlock(mem, handles, block) {
  const dv = new DataView(mem.buffer);
  const len = dv.getUint32(block, true);
  const data = block + BYTES_DATA;
  if (len < L.DATA) throw new WasyncError('EINVAL', 'malformed value');
  const type = dv.getUint32(data, true);
  const p = data + L.DATA;
  const n = len - L.DATA;
  switch (type) {
    case T.UNDEFINED: return undefined;
    case T.NULL: return null;
    case T.NUMBER: return dv.getFloat64(p, true);
    case T.BOOLEAN: return dv.getUint32(p, true) !== 0;
    case T.BIGINT: return dv.getBigInt64(p, true);
    case T.HANDLE: return handles.get(dv.getUint32(p, true));
    case T.BYTES: return mem.u8().slice(p, p + n);
    case T.STRING:
    case T.JSON: {
      let s;
      try {
        s = strict.decode(mem.u8().subarray(p, p + n));
      } catch {
        throw new WasyncError('EINVAL', 'the value is a string that is not valid UTF-8');
      }
      if (type === T.STRING) return s;
      try {
        return JSON.parse(s);
      } catch (e) {
        throw new WasyncError('EINVAL', `the value is not valid JSON: ${e.message}`);
      }
    }
    default: throw new WasyncError('EINVAL', `unknown value type ${type}`);
  }
}

const f64 = new Float64Array(1);
const f64bytes = new Uint8Array(f64.buffer);
const i64 = new BigInt64Array(1);
const i64bytes = new Uint8Array(i64.buffer);
const u32 = new Uint32Array(1);
const u32bytes = new Uint8Array(u32.buffer);
const NONE = new Uint8Array(0);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Throws a TypeError for a BigInt outside int64 (the range of a ws_value bigint). */
export function checkBigInt(v) {
  if (v < INT64_MIN || v > INT64_MAX) throw new TypeError('a BigInt outside the int64 range has no typed form');
  return v;
}

/** The type name (VALUE_TYPES) a JS value is sent as. */
export function typeOfValue(v) {
  switch (typeof v) {
    case 'number': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'bigint': return 'bigint';
    case 'undefined': return 'undefined';
    case 'function':
    case 'symbol': return typeof v;
    default:
      if (v === null) return 'null';
      if (v instanceof HostHandle) return 'handle';
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return 'bytes';
      return 'json';
  }
}

/** A JS value as [type, payload bytes]. Throws a TypeError for what has no typed form (functions, symbols,
 * BigInts outside int64; JSON.stringify's own errors pass through). */
export function encodeValue(v, handles) {
  switch (typeof v) {
    case 'number': f64[0] = v; return [T.NUMBER, f64bytes];
    case 'string': return [T.STRING, utf8.encode(v)];
    case 'undefined': return [T.UNDEFINED, NONE];
    case 'boolean': u32[0] = v ? 1 : 0; return [T.BOOLEAN, u32bytes];
    case 'bigint': i64[0] = checkBigInt(v); return [T.BIGINT, i64bytes];
    case 'function':
    case 'symbol': throw new TypeError(`a ${typeof v} has no typed form`);
    default: break;
  }
  if (v === null) return [T.NULL, NONE];
  if (v instanceof HostHandle) {
    u32[0] = handles.add(v.object);
    return [T.HANDLE, u32bytes];
  }
  if (v instanceof Uint8Array) return [T.BYTES, v];
  if (v instanceof ArrayBuffer) return [T.BYTES, new Uint8Array(v)];
  if (ArrayBuffer.isView(v)) return [T.BYTES, new Uint8Array(v.buffer, v.byteOffset, v.byteLength)];
  const json = JSON.stringify(v);
  if (json === undefined) throw new TypeError('the value has no JSON form');
  return [T.JSON, utf8.encode(json)];
}

/** Writes `values` (JS values, one per ws_value) as an argument block: the ws_values, then their data, each
 * string followed by a NUL. Returns { ptr, len } of a block from wsx_alloc (ptr 0 for none) that the callee takes.
 * Throws a TypeError for a value with no typed form, before allocating; a handle made for an argument is added to
 * `handles` and listed in `made`, for the caller to release if the block is never taken. */
export function writeValues(ex, mem, handles, values, made = []) {
  const n = values.length;
  const parts = new Array(n);
  let len = n * L.SIZE;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string') {
      parts[i] = [T.STRING, utf8.encode(v)];
      len += parts[i][1].length + 1;
    } else if (v instanceof HostHandle) {
      parts[i] = [T.HANDLE, null];
    } else {
      const [type, payload] = encodeValue(v, handles);
      parts[i] = [type, type === T.BYTES || type === T.JSON ? payload : payload.slice()];
      if (type === T.BYTES || type === T.JSON) len += payload.length + 1;
    }
  }
  if (len === 0) return { ptr: 0, len: 0 };
  const ptr = ex.wsx_alloc(len);
  if (!ptr) throw new WasyncError('ENOMEM', 'out of memory for the arguments');
  const dv = mem.dv();
  const u8 = mem.u8();
  let data = ptr + n * L.SIZE;
  for (let i = 0; i < n; i++) {
    const [type, payload] = parts[i];
    const at = ptr + i * L.SIZE;
    u8.fill(0, at, at + L.SIZE);
    dv.setUint32(at + L.type, type, true);
    if (type === T.STRING || type === T.BYTES || type === T.JSON) {
      dv.setUint32(at + L.len, payload.length, true);
      dv.setUint32(at + L.payload, data, true);
      u8.set(payload, data);
      u8[data + payload.length] = 0;
      data += payload.length + 1;
    } else if (type === T.HANDLE) {
      const h = handles.add(values[i].object);
      made.push(h);
      dv.setUint32(at + L.payload, h, true);
    } else {
      u8.set(payload, at + L.payload);
    }
  }
  return { ptr, len };
}

/** Writes [type, payload] into a new ws_bytes block for wsx_op_complete; returns its address or 0. */
export function writeBlock(ex, mem, type, payload) {
  const block = ex.wsx_bytes_alloc(L.DATA + payload.length);
  if (!block) return 0;
  const u8 = mem.u8();
  const data = block + BYTES_DATA;
  new DataView(mem.buffer).setUint32(data, type, true);
  u8.fill(0, data + 4, data + L.DATA);
  u8.set(payload, data + L.DATA);
  return block;
}

/** Writes a host call's typed outcome as a typed block into the scratch buffer (type, then payload at
 * VALUE_LAYOUT.DATA): the common small values (numbers, booleans, BigInts, undefined, null, handles, short
 * strings) without an allocation or a second call into the module. Returns the block's length, or -1 when the value needs a block of
 * its own (bytes, JSON, a long string: see encodeValue). */
export function writeValueScratch(mem, handles, v) {
  const at = mem.scratch;
  let type, len = L.DATA;
  switch (typeof v) {
    case 'number':
      type = T.NUMBER;
      mem.dv().setFloat64(at + L.DATA, v, true);
      len += 8;
      break;
    case 'undefined':
      type = T.UNDEFINED;
      break;
    case 'string': {
      const n = v.length <= 256 ? mem.writeScratch(v, L.DATA) : -1;
      if (n < 0) return -1;
      type = T.STRING;
      len += n;
      break;
    }
    case 'boolean':
      type = T.BOOLEAN;
      mem.dv().setUint32(at + L.DATA, v ? 1 : 0, true);
      len += 4;
      break;
    case 'bigint':
      if (v < INT64_MIN || v > INT64_MAX) return -1; // encodeValue says why
      type = T.BIGINT;
      mem.dv().setBigInt64(at + L.DATA, v, true);
      len += 8;
      break;
    default:
      if (v === null) {
        type = T.NULL;
      } else if (v instanceof HostHandle) {
        type = T.HANDLE;
        mem.dv().setUint32(at + L.DATA, handles.add(v.object), true);
        len += 4;
      } else {
        return -1;
      }
  }
  const dv = mem.dv();
  dv.setUint32(at, type, true);
  dv.setUint32(at + 4, 0, true);
  return len;
}
