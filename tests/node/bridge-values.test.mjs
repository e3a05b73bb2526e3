// Values crossing the bridge: what a host function's promise resolves to, converted for C. A value the bridge
// cannot convert fails that one call with EHOST and the reason; the runtime and every other call go on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, deferred, rejectsWith } from './helpers.mjs';

const T = { timeout: 20_000 };
const rts = runtimes();
after(() => rts.closeAll());

const circular = () => {
  const o = { name: 'loop' };
  o.self = o;
  return o;
};

const UNCONVERTIBLE = [
  ['a circular object', circular, /cannot be passed to C: .*circular/i],
  ['an object whose toJSON throws', () => ({ toJSON() { throw new Error('toJSON refused'); } }), /cannot be passed to C: toJSON refused/],
  ['a BigInt inside an object', () => ({ n: 10n }), /cannot be passed to C: .*BigInt/],
  ['a function', () => () => 1, /cannot be passed to C: a function has no JSON form/],
  ['a symbol', () => Symbol('s'), /cannot be passed to C: a symbol has no JSON form/],
  ['a toJSON that throws a non-Error', () => ({ toJSON() { throw 42; } }), /cannot be passed to C: it threw a value that is not an Error/],
];

for (const [what, make, message] of UNCONVERTIBLE) {
  test(`a host function resolving to ${what}: EHOST for that call, the runtime stays alive`, T, async () => {
    const rt = await rts.open();
    rt.defineHost('bad', async () => make());
    rt.defineHost('slow', () => gate.promise);
    const gate = deferred();
    // Another call in flight across the failure: it must still complete.
    const other = rt.start('host_echo', { name: 'slow', arg: '' });
    await rejectsWith(rt.start('host_echo', { name: 'bad', arg: '' }).promise, 'EHOST', new RegExp(`host function 'bad' resolved to a value that ${message.source}`, message.flags));
    assert.equal(rt.closed, false);
    gate.resolve('still here');
    assert.equal(await other.promise, 'still here');
    rt.defineHost('ok', async (s) => `ok ${s}`);
    assert.equal(await rt.start('host_echo', { name: 'ok', arg: 'after' }).promise, 'ok after');
    assert.equal(rt.stats().opsInFlight, 0);
  });
}

test('an unconvertible value in a 1000-wide batch fails the batch with EHOST and leaks nothing', T, async () => {
  const rt = await rts.open();
  rt.defineHost('num', async (s) => (s === '500' ? circular() : s));
  await rejectsWith(rt.start('host_many', { name: 'num', n: 1000, width: 1000 }).promise, 'EHOST'); // host_many reports the code only
  assert.equal(rt.closed, false);
  rt.defineHost('num', async (s) => s);
  assert.equal(await rt.start('host_many', { name: 'num', n: 100, width: 10 }).promise, 4950);
  const s = rt.stats();
  assert.equal(s.opsInFlight, 0);
  assert.equal(s.tasksLive, 0);
});
