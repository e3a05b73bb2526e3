// The bridge remembers the last host function called by the address of its name in wasm memory (host.js,
// #byName). A name is an entry's argument here, so one job's name block is freed when the job is reaped and the
// next job's name can be written at the same address: each call must still reach the function it names, also
// after memory has grown (which detaches every view of the old memory).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes } from './helpers.mjs';

const rts = runtimes();
after(() => rts.closeAll());

const many = (rt, name, n) => rt.start('host_many', { name, n, width: 1, typed: 1 }).promise;

test('host names reused at one address reach their own functions', { timeout: 20_000 }, async () => {
  const rt = await rts.open();
  rt.defineHost('aa', async (x) => x + 1000);
  rt.defineHost('bb', async (x) => x + 2000);
  rt.defineHost('ab', async (x) => x + 3000);
  // host_many sums its calls' results, the calls' arguments being 0 .. n-1
  const sum = (n, base) => n * base + (n * (n - 1)) / 2;
  for (let round = 0; round < 3; round++) {
    assert.equal(await many(rt, 'aa', 3), sum(3, 1000));
    assert.equal(await many(rt, 'bb', 3), sum(3, 2000));
    assert.equal(await many(rt, 'ab', 3), sum(3, 3000));
  }
  const before = rt.stats().memoryBytes;
  // A long name (no such function: ENOENT) makes the runtime grow its memory to hold the argument.
  await assert.rejects(many(rt, 'x'.repeat(4 << 20), 1), (e) => e.code === 'ENOENT');
  assert.ok(rt.stats().memoryBytes > before, 'memory grew');
  assert.equal(await many(rt, 'bb', 3), sum(3, 2000));
  assert.equal(await many(rt, 'aa', 3), sum(3, 1000));
});
