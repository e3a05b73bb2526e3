// The package's metadata, from its `npm pack` tarball: publint (strict) and @arethetypeswrong/cli clean, npm's
// publish check without warnings, and the fields npm and registries show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tools, packedApp, sh, PKG_DIR } from './setup.mjs';

let T, tgz, tmp;
before(async () => {
  T = await tools();
  ({ tgz, tmp } = await packedApp());
}, { timeout: 300_000 });
after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

test('publint --strict: all good', { timeout: 60_000 }, async () => {
  const { stdout } = await sh(T.bin('publint'), ['run', '--strict', tgz], tmp);
  assert.match(stdout, /All good!/, stdout);
});

// ESM only: the package's engines admit only Node versions where require(esm) works (README, "Node: require"), so
// the esm-only profile, which leaves out resolutions through TypeScript's CommonJS-only modes; the .wasm entries
// are assets, not modules.
test('@arethetypeswrong/cli: no problem in any entry point (esm-only profile, the .wasm assets excluded)', { timeout: 60_000 }, async () => {
  const r = await sh(T.bin('attw'), [tgz, '--profile', 'esm-only', '--exclude-entrypoints', './wasync.wasm', './wasync-examples.wasm', '--format', 'json'], tmp).catch((e) => e);
  const report = JSON.parse(r.stdout);
  // The profile ignores the CommonJS resolutions (node10, node16-cjs): what remains must be empty.
  const problems = (report.analysis.problems ?? []).filter((p) => !['node10', 'node16-cjs'].includes(p.resolutionKind));
  assert.deepEqual(problems, [], JSON.stringify(problems, null, 1));
  assert.equal(r.code ?? 0, 0);
  for (const entry of ['.', './inline', './examples', './inline/examples', './trace']) {
    assert.ok(report.analysis.entrypoints[entry], `attw checked ${entry}`);
  }
});

test('npm publish --dry-run: no warning about the manifest; bin, LICENSE, repository, homepage, bugs, engines', { timeout: 60_000 }, async () => {
  const r = await sh('npm', ['publish', '--dry-run', tgz], tmp);
  const warnings = r.stderr.split('\n').filter((l) => /npm warn/.test(l) && !/requires you to be logged in/.test(l));
  assert.deepEqual(warnings, []);
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.bin, { wasync: 'bin/wasync.js' });
  assert.match(fs.readFileSync(path.join(PKG_DIR, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.equal(pkg.license, 'MIT');
  assert.ok(pkg.repository?.url && pkg.homepage && pkg.bugs?.url, 'repository, homepage, bugs');
  assert.equal(pkg.engines.node, '^20.19.0 || >=22.12.0', 'only Node versions with require(esm)');
});
