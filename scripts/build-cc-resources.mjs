// build-cc-resources.mjs: a C-only copy of @yowasp/clang's resources tar for the playground's in-page compiler.
// The package's llvm-resources.tar (about 30 MB) is the sysroot the compiler mounts at /usr: wasi-libc's headers and
// libraries, Clang's own headers, and libc++ (headers, archives, modules) with every target's intrinsics headers. A
// page that compiles C for wasm32 needs only wasi-libc, the C headers of Clang and the C runtime archives; this
// script keeps those (entries copied byte for byte, in order) and writes playground/dist/llvm-resources-c.tar,
// which web/server.js serves in place of the package's (docs/playground.md, "Your own C"). Run by
// scripts/build-wasm.sh; a no-op with a note when @yowasp/clang is not installed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'node_modules', '@yowasp', 'clang', 'gen', 'llvm-resources.tar');
const out = path.join(root, 'playground', 'dist', 'llvm-resources-c.tar');

// Clang's headers a C program may include (C11..C23 freestanding headers, their pieces, and wasm's SIMD).
const CLANG_C = /^include\/(__float_\w+|__stdarg_\w+|__stddef_\w+|float|inttypes|iso646|limits|stdalign|stdarg|stdatomic|stdbool|stdckdint|stdcountof|stddef|stddefer|stdint|stdnoreturn|tgmath|varargs|wasm_simd128)\.h$/;
// Files only; a folder is kept when a kept file lies in it (the tar lists folders before their files).
function keepFile(name) {
  if (CLANG_C.test(name)) return true;
  if (name.startsWith('include/wasm32-wasip1/')) return true; // wasi-libc's headers
  if (name === 'lib/wasm32-unknown-wasip1/libclang_rt.builtins.a') return true; // compiler-rt builtins
  // wasi-libc's C runtime and archives; not libc++ and not the shared objects (modules here are linked statically)
  return /^lib\/wasm32-wasip1\/(?!libc\+\+)[\w.+-]*\.(a|o)$/.test(name);
}

const str = (buf, at, len) => { const s = buf.subarray(at, at + len); const z = s.indexOf(0); return s.subarray(0, z < 0 ? len : z).toString('latin1'); };

if (!fs.existsSync(src)) {
  console.log(`build-cc-resources: ${path.relative(root, src)} is missing (npm ci installs @yowasp/clang): the playground serves no compiler`);
} else {
  const tar = fs.readFileSync(src);
  const entries = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const name = str(tar, at, 100);
    if (!name) break; // the two zero blocks at the end
    const prefix = str(tar, at + 345, 155); // ustar: long names are prefix/name
    const full = (prefix ? `${prefix}/${name}` : name).replace(/\/+$/, '');
    const size = parseInt(str(tar, at + 124, 12).trim() || '0', 8);
    const span = 512 + Math.ceil(size / 512) * 512;
    entries.push({ name: full, dir: tar[at + 156] === 0x35, block: tar.subarray(at, at + span) });
    at += span;
  }
  const files = entries.filter((e) => !e.dir && keepFile(e.name)).map((e) => e.name);
  const dirs = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))));
  const kept = entries.filter((e) => (e.dir ? dirs.has(e.name) : files.includes(e.name)));
  const parts = kept.map((e) => e.block);
  const dropped = entries.length - kept.length;
  parts.push(Buffer.alloc(1024));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, Buffer.concat(parts));
  console.log(`build-cc-resources: playground/dist/llvm-resources-c.tar ${fs.statSync(out).size} bytes (${kept.length} entries kept, ${dropped} dropped; the package's tar: ${tar.length} bytes)`);
}
