// wasi.js: the few `wasi_snapshot_preview1` imports a module may have besides the package's own: a module that
// calls printf, time() or rand() imports fd_write, clock_time_get, fd_seek, fd_close, fd_fdstat_get, ... (wasi-libc,
// as linked by wasync/cc, and emscripten's STANDALONE_WASM alike). abi.js gives them to every instance; a module
// that does not import them never calls them.
//
//   fd_write to 1 and 2   -> the runtime's stdout / stderr option (the text of each write, UTF-8 decoded across
//                            writes); by default
//                            console.log / console.error, one call per line
//   fd_fdstat_get 0..2    a character device without seek: wasi-libc then line-buffers stdout, so printf("...\n")
//                         reaches the callback at once (a runtime never exits to flush a full buffer)
//   fd_seek, fd_close     ESPIPE / success on 0..2, EBADF elsewhere; fd_read reads nothing (end of input)
//   clock_time_get        the real clocks (realtime: Date.now(), monotonic: performance.now()) in nanoseconds,
//                         not the runtime's virtual clock: the C library's time is the host's
//   random_get            crypto.getRandomValues
//   args, environ         empty
//   proc_exit(code)       throws a WasiExit: the poll that called exit() traps, the runtime fails with that error
//   anything else         returns ENOSYS (52): there is no file system
// Pointers are read through a fresh view of memory on each call: memory may have grown since the last one.

const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ENOSYS = 52;
const ESPIPE = 70;
const FILETYPE_CHARACTER_DEVICE = 2;
const RIGHT_FD_WRITE = 64n;

/** exit() was called by the module: thrown out of the poll that called it. */
export class WasiExit extends Error {
  constructor(code) {
    super(`the module called exit(${code})`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

/** A writer of text for fd 1 or 2: `sink(text)` if given, else console[method] per line. */
function writer(sink, method) {
  const dec = new TextDecoder();
  if (typeof sink === 'function') {
    return (bytes) => {
      const s = dec.decode(bytes, { stream: true });
      if (s) sink(s);
    };
  }
  let line = '';
  return (bytes) => {
    line += dec.decode(bytes, { stream: true });
    let nl;
    while ((nl = line.indexOf('\n')) >= 0) {
      console[method](line.slice(0, nl));
      line = line.slice(nl + 1);
    }
  };
}

/**
 * The wasi_snapshot_preview1 import object. `memory()` returns the instance's WebAssembly.Memory (called on each
 * import call: the instance does not exist yet when the imports are made).
 * @param {() => WebAssembly.Memory} memory
 * @param {{ stdout?: (text: string) => void, stderr?: (text: string) => void }} opts
 */
export function wasiImports(memory, { stdout, stderr } = {}) {
  const out = { 1: writer(stdout, 'log'), 2: writer(stderr, 'error') };
  const dv = () => new DataView(memory().buffer);
  const std = (fd) => fd === 0 || fd === 1 || fd === 2;
  const zero2 = (a, b) => {
    const v = dv();
    v.setUint32(a, 0, true);
    v.setUint32(b, 0, true);
    return ESUCCESS;
  };
  const known = {
    fd_write(fd, iovs, count, written) {
      const write = out[fd];
      if (!write) return EBADF;
      const buf = memory().buffer;
      const v = new DataView(buf);
      // one write of the C library is often two pieces (its buffer, then the rest): delivered as one text
      const parts = [];
      let n = 0;
      for (let i = 0; i < count; i++) {
        const ptr = v.getUint32(iovs + i * 8, true);
        const len = v.getUint32(iovs + i * 8 + 4, true);
        if (len) parts.push(new Uint8Array(buf, ptr, len));
        n += len;
      }
      if (parts.length === 1) write(parts[0]);
      else if (parts.length > 1) {
        const all = new Uint8Array(n);
        let at = 0;
        for (const p of parts) { all.set(p, at); at += p.length; }
        write(all);
      }
      v.setUint32(written, n, true);
      return ESUCCESS;
    },
    fd_read(fd, iovs, count, read) {
      if (fd !== 0) return EBADF;
      dv().setUint32(read, 0, true);
      return ESUCCESS;
    },
    fd_fdstat_get(fd, stat) {
      if (!std(fd)) return EBADF;
      const v = dv();
      v.setUint8(stat, FILETYPE_CHARACTER_DEVICE);
      v.setUint16(stat + 2, 0, true);
      v.setBigUint64(stat + 8, fd === 0 ? 0n : RIGHT_FD_WRITE, true);
      v.setBigUint64(stat + 16, 0n, true);
      return ESUCCESS;
    },
    fd_seek: (fd) => (std(fd) ? ESPIPE : EBADF),
    fd_close: (fd) => (std(fd) ? ESUCCESS : EBADF),
    fd_prestat_get: () => EBADF, // no preopened folders: ends wasi-libc's scan at once
    clock_time_get(id, precision, time) {
      let ns;
      if (id === 0) ns = BigInt(Date.now()) * 1000000n;
      else if (id === 1) ns = BigInt(Math.round(performance.now() * 1e6));
      else return EINVAL;
      dv().setBigUint64(time, ns, true);
      return ESUCCESS;
    },
    clock_res_get(id, res) {
      if (id !== 0 && id !== 1) return EINVAL;
      dv().setBigUint64(res, 1000n, true);
      return ESUCCESS;
    },
    random_get(ptr, len) {
      const u8 = new Uint8Array(memory().buffer, ptr, len);
      for (let i = 0; i < len; i += 65536) crypto.getRandomValues(u8.subarray(i, Math.min(len, i + 65536)));
      return ESUCCESS;
    },
    args_sizes_get: zero2,
    environ_sizes_get: zero2,
    args_get: () => ESUCCESS,
    environ_get: () => ESUCCESS,
    sched_yield: () => ESUCCESS,
    proc_exit(code) {
      throw new WasiExit(code);
    },
  };
  const enosys = () => ENOSYS;
  // Any other WASI function links and answers ENOSYS, so a module that merely references one still loads.
  return new Proxy(known, { get: (t, name) => (typeof name === 'string' ? (t[name] ?? enosys) : undefined) });
}
