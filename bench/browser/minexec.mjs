// minexec.mjs: bench/browser/minexec.c (and lean.c, the same imports and exports) built with emcc as a standalone
// module: bench/browser.mjs's and bench/bridge-split.mjs's minexec side, and bridge-split's lean side.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The module built from bench/browser/`file`'s bytes, or null (with a warning) when emcc is missing or fails. */
export function buildExecutor(file = 'minexec.c') {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasync-minexec-'));
  try {
    const out = path.join(dir, 'out.wasm');
    const r = spawnSync('emcc', ['-O3', '--no-entry', '-sSTANDALONE_WASM', '-sERROR_ON_UNDEFINED_SYMBOLS=0',
      path.join(here, file), '-o', out], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.warn(`no ${file} side: emcc failed: ${r.error?.message ?? r.stderr}`);
      return null;
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
