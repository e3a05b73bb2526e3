// minexec.mjs: bench/browser/minexec.c built with emcc as a standalone module (bench/browser.mjs's and
// bench/bridge-split.mjs's minexec side).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The module's bytes, or null (with a warning) when emcc is missing or fails. */
export function buildMinexec() {
  const dir = mkdtempSync(path.join(tmpdir(), 'wasync-minexec-'));
  try {
    const out = path.join(dir, 'minexec.wasm');
    const r = spawnSync('emcc', ['-O3', '--no-entry', '-sSTANDALONE_WASM', '-sERROR_ON_UNDEFINED_SYMBOLS=0',
      path.join(here, 'minexec.c'), '-o', out], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.warn(`no minexec side: emcc failed: ${r.error?.message ?? r.stderr}`);
      return null;
    }
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
