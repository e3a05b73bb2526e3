// values.js: typed values between C and JS (ws_value in wasm/src/ws_js.h; types and layout in contract.js).
//   C -> JS: number -> number, string -> string (UTF-8, NUL kept; invalid UTF-8 is an error), bytes -> a
//            Uint8Array copy, json -> parsed, handle -> the object it names, undefined -> undefined.
//   JS -> C: number -> number, string -> string, Uint8Array / ArrayBuffer / other views -> bytes, undefined and
//            null -> undefined, rt.handle(object) -> a handle, anything else (booleans, arrays, objects) -> json.
import { BYTES_DATA, VALUE_LAYOUT as L, VALUE_TYPES } from './contract.js';
import { WasyncError } from './errors.js';

const T = Object.fromEntries(VALUE_TYPES.map((name, i) => [name.toUpperCase(), i]));
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
  const dv = new DataView(mem.buffer);
  const u8 = mem.u8();
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = ptr + i * L.SIZE;
    const type = dv.getUint32(at + L.type, true);
    const len = dv.getUint32(at + L.len, true);
    try {
      switch (type) {
        case T.UNDEFINED: out[i] = undefined; break;
        case T.NUMBER: out[i] = dv.getFloat64(at + L.payload, true); break;
        case T.HANDLE: out[i] = handles.get(dv.getUint32(at + L.payload, true)); break;
        case T.BYTES: out[i] = u8.slice(dv.getUint32(at + L.payload, true), dv.getUint32(at + L.payload, true) + len); break;
        case T.STRING:
        case T.JSON: {
          const p = dv.getUint32(at + L.payload, true);
          const s = strict.decode(u8.subarray(p, p + len));
          out[i] = type === T.STRING ? s : JSON.parse(s);
          break;
        }
        default: throw new WasyncError('EINVAL', `unknown value type ${type}`);
      }
    } catch (e) {
      const why = e instanceof TypeError ? 'not valid UTF-8' : e.message;
      throw new WasyncError('EINVAL', `argument ${i}: ${why}`);
    }
  }
  return out;
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
    case T.NUMBER: return dv.getFloat64(p, true);
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
const u32 = new Uint32Array(1);
const u32bytes = new Uint8Array(u32.buffer);

/** A JS value as [type, payload bytes]. Throws a TypeError for what has no typed form (functions, symbols,
 * BigInts; JSON.stringify's own errors pass through). */
export function encodeValue(v, handles) {
  switch (typeof v) {
    case 'number': f64[0] = v; return [T.NUMBER, f64bytes];
    case 'string': return [T.STRING, utf8.encode(v)];
    case 'undefined': return [T.UNDEFINED, new Uint8Array(0)];
    case 'bigint': throw new TypeError('a BigInt has no typed form: convert it to a Number or a string');
    case 'function':
    case 'symbol': throw new TypeError(`a ${typeof v} has no typed form`);
    default: break;
  }
  if (v === null) return [T.UNDEFINED, new Uint8Array(0)];
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
