// A throw-away tree for the server tests: a root and a package folder with a few files, links that stay inside,
// and links that lead out of them to files that carry a marker no answer may ever contain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../web/server.js';

export const SECRET = 'OUTSIDE-THE-ROOT-7f3a9c';

export async function serverFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-server-'));
  const root = path.join(dir, 'root');
  const pkg = path.join(dir, 'pkg');
  const outside = path.join(dir, 'outside');
  for (const d of [root, path.join(root, 'js'), path.join(root, 'sub dir'), pkg, path.join(pkg, 'dist'), outside]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const files = {
    'root/index.html': '<!doctype html><title>fixture</title>',
    'root/js/main.js': 'export const inside = 1;\n',
    'root/js/index.html': '<p>js index</p>',
    'root/sub dir/index.html': '<p>sub dir</p>',
    'pkg/dist/mod.wasm': 'not really wasm',
    'pkg/dist/index.html': '<p>dist</p>',
    'pkg/index.js': 'export {};\n',
    'outside/secret.txt': `${SECRET}\n`,
    'outside/index.html': `<p>${SECRET}</p>`,
  };
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), text);
  // Links out of the root (a file and a folder), out of the package, and one that stays inside.
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'file-out.txt'));
  fs.symlinkSync(outside, path.join(root, 'dir-out'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'js', 'nested-out.js'));
  fs.symlinkSync(outside, path.join(pkg, 'dist', 'out'));
  fs.symlinkSync(path.join(root, 'js', 'main.js'), path.join(root, 'link-in.js'));
  fs.symlinkSync(path.join(root, 'js'), path.join(root, 'js-link'));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(root, 'dangling'));

  const server = await startServer({ port: 0, host: '127.0.0.1', root, pkgDir: pkg });
  // Every body a 200 may carry: the files inside, read through their real paths.
  const inside = new Set(
    Object.entries(files)
      .filter(([rel]) => !rel.startsWith('outside/'))
      .map(([, text]) => text),
  );
  return {
    dir,
    server,
    inside,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
