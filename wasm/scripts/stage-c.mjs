// stage-c.mjs: copies the C a module needs into the package before `npm pack` (the prepack script), so that an
// installed package builds modules without a checkout of the repository:
//   c/include/  the public headers: the core's (src/*.h but the internal ones and the POSIX host) and the module API
//               (ws_module.h, ws_js.h, ws_blocking.h)
//   c/core/     the core's sources (src/*.c but the native-only host_posix.c and trace_text.c) and its internal
//               headers (ws_internal.h, *_internal.h)
//   c/bridge/   the JS bridge and the standard entry points (wasm/src/*.c, entries.h)
// cmake/wasync.cmake and bin/build.js find them there. The copy is generated: c/ is not in git, and the postpack
// script removes it again (`--clean`), so that a checkout never builds from a stale copy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const core = path.join(pkg, '..', 'src');
const bridge = path.join(pkg, 'src');
const out = path.join(pkg, 'c');
const NATIVE_ONLY = new Set(['host_posix.c', 'trace_text.c', 'ws_host_posix.h']);
const PUBLIC_BRIDGE_HEADERS = new Set(['ws_module.h', 'ws_js.h', 'ws_blocking.h']);

if (process.argv.includes('--clean')) {
  fs.rmSync(out, { recursive: true, force: true });
  process.exit(0);
}
if (!fs.existsSync(path.join(core, 'wasync.h'))) {
  console.error(`stage-c: ${core} has no wasync.h: run this from a checkout of the repository`);
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
for (const d of ['include', 'core', 'bridge']) fs.mkdirSync(path.join(out, d), { recursive: true });
const copy = (from, dir) => fs.copyFileSync(from, path.join(out, dir, path.basename(from)));
for (const f of fs.readdirSync(core).sort()) {
  if (NATIVE_ONLY.has(f)) continue;
  if (f.endsWith('internal.h') || f.endsWith('.c')) copy(path.join(core, f), 'core');
  else if (f.endsWith('.h')) copy(path.join(core, f), 'include');
}
// registry*.c are the package's own registries (its two modules); a user module declares its own
for (const f of fs.readdirSync(bridge).sort()) {
  if (PUBLIC_BRIDGE_HEADERS.has(f)) copy(path.join(bridge, f), 'include');
  else if ((f.endsWith('.c') && !f.startsWith('registry')) || f.endsWith('.h')) copy(path.join(bridge, f), 'bridge');
}
console.error(`stage-c: staged ${fs.readdirSync(out).map((d) => `${d}/ (${fs.readdirSync(path.join(out, d)).length})`).join(', ')}`);
