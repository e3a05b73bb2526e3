// build.mjs: the bridge benchmark's hand-made sides built into modules when a benchmark starts: the .wat files
// (jspi.wat, floor.wat) assembled with Binaryen's wasm-as, the .c files (minexec.c, lean.c) compiled with emcc as
// standalone modules. For bench/browser.mjs and bench/bridge-split.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The module built from bench/browser/`file` (a .wat or a .c), or null (with a warning) when its tool is missing
 * or fails. */
export function buildSide(file) {
  const src = path.join(here, file);
  const dir = mkdtempSync(path.join(tmpdir(), 'wasync-side-'));
  try {
    const out = path.join(dir, 'out.wasm');
    const [tool, args] = file.endsWith('.wat')
      ? ['wasm-as', [src, '-o', out]]
      : ['emcc', ['-O3', '--no-entry', '-sSTANDALONE_WASM', '-sERROR_ON_UNDEFINED_SYMBOLS=0', src, '-o', out]];
    const r = spawnSync(tool, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      console.warn(`no ${file} side: ${tool} failed: ${r.error?.message ?? r.stderr}`);
      return null;
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
