// The wasync command line (wasm/bin/wasync.js): a --chrome output that cannot be written is refused before the
// run, in one line, naming the path and the reason. Every path here is inside a fresh temporary folder.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PKG_DIR } from './helpers.mjs';

const BIN = path.join(PKG_DIR, 'bin', 'wasync.js');
let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasync-cli-'));
  fs.chmodSync(dir, 0o755);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args, { asNobody = false } = {}) {
  const [cmd, argv] = asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

function assertRefused(r, file, reason) {
  assert.equal(r.code, 2, `exit status 2: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing ran');
  assert.equal(r.stderr, `wasync: --chrome ${file}: ${reason}\n`, 'one line naming the path and the reason');
}

test('--chrome into a missing folder, onto a folder, under a file, or empty is refused before the run', async () => {
  const missing = path.join(dir, 'no-such-folder', 'out.json');
  assertRefused(await cli(['run', 'join', '--chrome', missing]), missing,
    `its folder ${path.dirname(missing)} does not exist`);
  assertRefused(await cli(['run', 'join', '--chrome', dir]), dir, 'is a folder');
  const file = path.join(dir, 'plain.txt');
  fs.writeFileSync(file, 'x');
  const under = path.join(file, 'out.json');
  assertRefused(await cli(['run', 'join', '--chrome', under]), under, `${file} is not a folder`);
  assertRefused(await cli(['run', 'join', '--chrome', '']), '', 'an empty path');
  assert.equal(fs.readFileSync(file, 'utf8'), 'x', 'nothing was overwritten');
});

const canDropRoot = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');
const asNobody = process.getuid?.() !== 0 ? false : canDropRoot;
test('--chrome onto a read-only file or into a read-only folder is refused before the run',
  { skip: process.getuid?.() === 0 && !canDropRoot ? 'running as root without setpriv: root may write anything' : false },
  async () => {
    // Root may write read-only files: run the command as nobody then.
    const ro = path.join(dir, 'read-only.json');
    fs.writeFileSync(ro, 'keep');
    fs.chmodSync(ro, 0o444);
    assertRefused(await cli(['run', 'join', '--chrome', ro], { asNobody }), ro, 'is not writable');
    assert.equal(fs.readFileSync(ro, 'utf8'), 'keep');
    const roDir = path.join(dir, 'read-only-folder');
    fs.mkdirSync(roDir, { mode: 0o555 });
    fs.chmodSync(roDir, 0o555);
    const inRoDir = path.join(roDir, 'out.json');
    assertRefused(await cli(['run', 'join', '--chrome', inRoDir], { asNobody }), inRoDir, `its folder ${roDir} is not writable`);
  });

test('--chrome into a writable place writes the trace as Chrome JSON', async () => {
  const out = path.join(dir, 'trace.json');
  const r = await cli(['run', 'join', '--chrome', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^join: value 3000, elapsed 200\.000 ms \(virtual clock\)/);
  assert.ok(r.stdout.endsWith(`wrote ${out}\n`));
  const json = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.ok(json.traceEvents.some((e) => e.ph === 'X'), 'it holds poll slices');
});
