// Set-up shared by the bundler tests: the tools (installed from the npm registry at test time into one temp folder,
// kept between runs and reused while the versions below stay the same; npm's cache makes a fresh install quick),
// and an application folder with the package installed from its `npm pack` tarball, outside the repository.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PKG_DIR = path.join(ROOT, 'wasm');

/** The tools, pinned: Vite's current major and the one before it, webpack 5, esbuild, TypeScript, the linters. */
export const TOOLS = {
  vite8: 'npm:vite@8.4.0',
  vite7: 'npm:vite@7.3.8',
  webpack: '5.113.0',
  esbuild: '0.28.2',
  typescript: '5.9.3',
  publint: '0.3.25',
  '@arethetypeswrong/cli': '0.18.5',
  'playwright-core': '1.65.1',
};

const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };
export const sh = (cmd, args, cwd, opts = {}) =>
  run(cmd, args, { cwd, env: { ...npmEnv, ...opts.env }, timeout: opts.timeout ?? 240_000, maxBuffer: 64 << 20 });

/** The tools folder, installed when missing (WASYNC_BUNDLER_TOOLS overrides where). */
export async function tools() {
  const dir = process.env.WASYNC_BUNDLER_TOOLS || path.join(os.tmpdir(), 'wasync-bundler-tools');
  const manifest = JSON.stringify({ name: 'wasync-bundler-tools', private: true, dependencies: TOOLS }, null, 2);
  const stamp = path.join(dir, 'node_modules', '.wasync-tools.json');
  const current = () => fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === manifest;
  if (!current()) {
    // Installed into a folder of this process's own, then renamed into place: test files run in parallel (node
    // --test without --test-concurrency=1) never see a half-installed folder.
    const own = `${dir}.${process.pid}`;
    fs.rmSync(own, { recursive: true, force: true });
    fs.mkdirSync(own, { recursive: true });
    fs.writeFileSync(path.join(own, 'package.json'), manifest);
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], own);
    fs.writeFileSync(path.join(own, 'node_modules', '.wasync-tools.json'), manifest);
    if (!current()) {
      fs.rmSync(dir, { recursive: true, force: true });
      try {
        fs.renameSync(own, dir);
      } catch (e) {
        if (!current()) throw e; // another process put its install there first
      }
    }
    fs.rmSync(own, { recursive: true, force: true });
  }
  const mod = (name) => path.join(dir, 'node_modules', name);
  return { dir, mod, bin: (name) => path.join(dir, 'node_modules', '.bin', name) };
}

/** Packs wasm/ and installs the tarball into a fresh folder; returns { app, tgz, tmp }. */
export async function packedApp() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-bundlers-'));
  const packDir = path.join(tmp, 'pack');
  fs.mkdirSync(packDir);
  const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', packDir], PKG_DIR);
  const tgz = path.join(packDir, JSON.parse(stdout)[0].filename);
  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await sh('npm', ['install', '--no-audit', '--no-fund', '--offline', '--omit=optional', tgz], app); // no 105 MB compiler
  return { tmp, app, tgz };
}

/** A project folder inside the app, with its own copy of the installed package (as an `npm install` would leave
 * it: Vite's dev server serves only files under the project): files is { relative path: text }. */
export function project(app, name, files) {
  const dir = path.join(app, name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [f, text] of Object.entries({ 'package.json': JSON.stringify({ name, private: true, type: 'module' }), ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  fs.cpSync(path.join(app, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true });
  return dir;
}
