// What the tests of wasync/cc share: the module from the readable sources, the built kit (a clear error if it is
// missing) and the optional compiler (a skip reason if it is not installed).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PKG_DIR } from './helpers.mjs';

export const cc = await import(pathToFileURL(path.join(PKG_DIR, 'lib', 'cc', 'compile.js')).href);
export const KIT_FILE = path.join(PKG_DIR, 'dist', 'cc-kit.json');
if (!fs.existsSync(KIT_FILE)) throw new Error(`${KIT_FILE} is missing: build it first with\n  bash scripts/build-wasm.sh`);
let loaded = null;
try {
  loaded = await import('@yowasp/clang');
} catch { /* reported as the skip reason */ }
export const clang = loaded;
export const skip = clang ? false : '@yowasp/clang is not installed (npm ci installs it)';
