// share-src.js: an edited program in the link. The source is compressed (deflate-raw, the platform's
// CompressionStream) and written as base64url in the URL's hash, with the file name:
//     #file=join.c&src=<base64url>
// The hash never reaches the server, and a program of a few KB stays a link of a few KB. Reading is strict: a link
// that was cut, altered or made by hand gives a one-line reason, never a half-decoded program.

export const MAX_SOURCE = 64 * 1024;   // bytes of C a link may carry, once inflated
const MAX_HASH = 96 * 1024;            // characters of the encoded form (a bomb is refused before inflating)
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\.c$/;

export class ShareError extends Error {}

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('it is not base64url text');
  if (text.length % 4 === 1) throw new ShareError('its base64url text was cut');
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const u8 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
  return u8;
}

// Runs bytes through a (de)compression stream, stopping with an error past `limit` output bytes.
async function pipe(stream, bytes, limit = Infinity) {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks = [];
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      reader.cancel().catch(() => {});
      throw new ShareError(`it inflates to more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** The hash (without '#') that carries `text` as the file `file`. */
export async function encodeSource(file, text) {
  if (!FILE_NAME.test(file)) throw new ShareError(`the file name ${JSON.stringify(file)} is not a plain .c name`);
  const raw = new TextEncoder().encode(text);
  if (raw.length > MAX_SOURCE) throw new ShareError(`the program is ${raw.length} bytes, more than a link carries (${MAX_SOURCE})`);
  const packed = await pipe(new CompressionStream('deflate-raw'), raw);
  return `file=${encodeURIComponent(file)}&src=${toBase64Url(packed)}`;
}

/** Reads a hash (with or without '#'): null when it carries no program, { file, text } when it does; throws a
 * ShareError whose message completes "The link's program could not be read: …" when it is damaged. */
export async function decodeSource(hash) {
  const h = String(hash || '').replace(/^#/, '');
  if (!h) return null;
  if (h.length > MAX_HASH) throw new ShareError(`it is ${h.length} characters long, more than ${MAX_HASH}`);
  const q = new URLSearchParams(h);
  if (!q.has('src')) return null;
  const file = q.get('file') || 'main.c';
  if (!FILE_NAME.test(file)) throw new ShareError(`its file name is not a plain .c name`);
  const packed = fromBase64Url(q.get('src'));
  if (!packed.length) throw new ShareError('it is empty');
  let raw;
  try {
    raw = await pipe(new DecompressionStream('deflate-raw'), packed, MAX_SOURCE);
  } catch (e) {
    if (e instanceof ShareError) throw e;
    throw new ShareError('its compressed data is damaged (cut or altered)');
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ShareError('it is not UTF-8 text');
  }
  return { file, text };
}
