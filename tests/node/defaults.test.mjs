// What an application gets from createRuntime() without options: the real clock and no trace (no trace ring in
// memory); the virtual clock and the trace are there when asked for, as the playground, the CLI and the tests do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from './helpers.mjs';

const TRACE_RECORD_BYTES = 32; // ws_trace.h: one record
const DEFAULT_TRACE_CAPACITY = 65536;

test('createRuntime(): the real clock, no trace, and no trace ring in memory', async () => {
  const rt = await createRuntime();
  try {
    assert.equal(rt.clock, 'real');
    const fresh = rt.stats().bytesLive;
    assert.ok(fresh < 16 * 1024, `a fresh runtime without a trace holds little: ${fresh} bytes`);
    assert.equal(await rt.start('sleep', { ms: 1 }).promise, 1);
    assert.deepEqual(rt.readTrace(), [], 'nothing recorded');
  } finally {
    rt.close();
  }
});

test('asked for explicitly: the virtual clock and the trace, whose ring is what the memory difference is', async () => {
  const plain = await createRuntime();
  const traced = await createRuntime({ clock: 'virtual', trace: true });
  try {
    const ring = traced.stats().bytesLive - plain.stats().bytesLive; // both fresh: no task has run on either
    assert.ok(ring >= DEFAULT_TRACE_CAPACITY * TRACE_RECORD_BYTES, `the trace ring: ${ring} bytes`);
    assert.equal(traced.clock, 'virtual');
    assert.equal(await traced.start('sleep', { ms: 30 }).promise, 30);
    assert.ok(traced.readTrace().some((e) => e.kind === 'timer'));
  } finally {
    plain.close();
    traced.close();
  }
});
