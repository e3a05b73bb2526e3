// The constants C and JS share are defined once, in X-macro tables in the C headers; wasm/lib/contract.js is
// generated from them. These tests fail when the committed file, the package's types or a running module disagree
// with the tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, PKG_DIR, createRuntime, WasyncError, wasync } from './helpers.mjs';

const gen = await import(pathToFileURL(path.join(ROOT, 'scripts', 'gen-contract.mjs')).href);
const contract = await import(pathToFileURL(path.join(PKG_DIR, 'lib', 'contract.js')).href);

test('wasm/lib/contract.js is what scripts/gen-contract.mjs makes of the C tables', () => {
  const committed = fs.readFileSync(path.join(ROOT, gen.OUTPUT), 'utf8');
  assert.equal(committed, gen.generate(), 'out of date: run node scripts/gen-contract.mjs');
});

test('the generator reads a new table row: an error code or a trace kind is one line', async () => {
  // A copy of the sources with one row added to each of two tables.
  const tmp = fs.mkdtempSync(path.join(ROOT, 'build-contract-'));
  try {
    for (const f of ['src/ws_base.h', 'src/ws_future.h', 'src/ws_runtime.h', 'src/ws_trace.h', 'wasm/src/wsx_abi.h']) {
      fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(tmp, f));
    }
    const edit = (f, from, to) => {
      const p = path.join(tmp, f);
      const s = fs.readFileSync(p, 'utf8');
      assert.ok(s.includes(from), `${f} has ${from}`);
      fs.writeFileSync(p, s.replace(from, to));
    };
    // (appended after the tables' last rows)
    edit('src/ws_base.h', 'X(EPANIC, -16, "the blocking job trapped or its worker crashed") /* spawn_blocking (ws_blocking.h) */',
      'X(EPANIC, -16, "the blocking job trapped or its worker crashed") \\\n    X(EDEMO, -17, "a demo code")');
    edit('src/ws_trace.h', 'X(JOB_FINISH, job_finish, u32(outcome), u32(op), u32(worker), _)',
      'X(JOB_FINISH, job_finish, u32(outcome), u32(op), u32(worker), _) \\\n    X(DEMO, demo, cause(why), u32(op), str(label), _)');
    const made = await import(`data:text/javascript,${encodeURIComponent(gen.generate(tmp))}`);
    assert.equal(made.ERRORS.EDEMO, -17);
    assert.equal(made.ERROR_TEXT.EDEMO, 'a demo code');
    assert.equal(made.EUSER, -18);
    assert.deepEqual(made.TRACE_KINDS.at(-1), { kind: 'demo', detail: ['cause', 'why'], a: ['u32', 'op'], b: ['str', 'label'], c: null });
    // A row out of order is refused, like the C side's _Static_assert refuses it.
    edit('src/ws_base.h', 'X(EDEMO, -17,', 'X(EDEMO, -20,');
    assert.throws(() => gen.generate(tmp), /EDEMO is -20, expected -17/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the package exports the wake causes of the table, and its types list the same codes and causes', () => {
  assert.deepEqual(wasync.CAUSES, contract.CAUSES);
  // The trace's types (WakeCause among them) are in trace.d.ts, which index.d.ts re-exports.
  const dts = ['index.d.ts', 'trace.d.ts'].map((f) => fs.readFileSync(path.join(PKG_DIR, f), 'utf8')).join('\n');
  const union = (name) => {
    const m = new RegExp(`export type ${name} =([^;]+);`).exec(dts);
    assert.ok(m, `index.d.ts or trace.d.ts declares ${name}`);
    return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]).sort();
  };
  assert.deepEqual(union('WakeCause'), [...contract.CAUSES].sort());
  // ETRAP (a trapped module), EUSER (application codes) and EUNKNOWN exist only on the JS side.
  assert.deepEqual(union('ErrorCode'), [...Object.keys(contract.ERRORS), 'ETRAP', 'EUSER', 'EUNKNOWN'].sort());
});

test('a running module agrees with the contract: stats layout, codes from C, trace kinds', async () => {
  const rt = await createRuntime({ clock: 'virtual', trace: true });
  try {
    const before = rt.stats();
    assert.deepEqual(Object.keys(before).sort(), [...contract.STATS.map(([n]) => n), 'memoryBytes'].sort());
    await rt.start('sleep', { ms: 5 }).promise;
    const after = rt.stats();
    assert.equal(after.spawned, before.spawned + 1);
    assert.equal(after.completed, before.completed + 1);
    assert.equal(after.tasksLive, 0);
    // An error code from C arrives under the table's name.
    await assert.rejects(rt.start('never', {}, { signal: AbortSignal.abort() }).promise,
      (e) => e instanceof WasyncError && e.code === 'ECANCELED');
    const kinds = new Set(rt.readTrace().map((e) => e.kind));
    for (const k of ['spawn', 'poll', 'wake', 'complete', 'timer']) assert.ok(kinds.has(k), `trace has ${k} events`);
    for (const k of kinds) assert.ok(contract.TRACE_KINDS.some((d) => d?.kind === k), `${k} is in WS_TRACE_KINDS`);
  } finally {
    rt.close();
  }
});
