// The playground's C-to-Rust line map (playground/examples/index.json, `rust`): every await point of an example's
// C files (the .c and the headers it includes) names a Rust line that exists, and every entry is still used, so an
// edit to either side that breaks the map fails here rather than in a learner's browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { awaitExpr, rustLineFor } from '../../playground/js/rust-map.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const info = JSON.parse(fs.readFileSync(path.join(ROOT, 'playground/examples/index.json'), 'utf8'));

test('every C await point of every example maps to a Rust line, and every map entry is used', () => {
  for (const name of info.order) {
    const map = info.examples[name].rust;
    assert.ok(map, `${name}: has a rust map`);
    const c = fs.readFileSync(path.join(ROOT, 'wasm/examples', `${name}.c`), 'utf8');
    const headers = [...c.matchAll(/^\s*#\s*include\s+"([^"/]+)"/gm)].map((m) => m[1]).filter((f) => f !== 'example.h');
    const lines = [c, ...headers.map((h) => fs.readFileSync(path.join(ROOT, 'wasm/examples', h), 'utf8'))].join('\n').split('\n');
    const rs = fs.readFileSync(path.join(ROOT, 'playground/examples', `${name}.rs`), 'utf8');
    const used = new Set();
    for (const line of lines) {
      const expr = awaitExpr(line);
      if (!expr || /#\s*define/.test(line)) continue;
      const n = rustLineFor(map, line, rs);
      assert.ok(n, `${name}: "${line.trim()}" has no Rust line`);
      used.add(expr);
    }
    assert.deepEqual(Object.keys(map).filter((k) => !used.has(k)), [], `${name}: unused entries`);
  }
});
