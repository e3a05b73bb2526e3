// Values crossing the bridge: what a host function's promise resolves to, converted for C. A value the bridge
// cannot convert fails that one call with EHOST and the reason; the runtime and every other call go on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, deferred, rejectsWith, EXAMPLES_WASM } from './helpers.mjs';

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

// ---- typed values (ws_host_callv_init, entries with output "value"): the examples module's bridge entries ----

const typed = runtimes({ wasm: EXAMPLES_WASM });
after(() => typed.closeAll());

test('typed values from C: number, string with NUL, bytes with invalid UTF-8, empty bytes, JSON, undefined', T, async () => {
  const rt = await typed.open();
  let got;
  rt.defineHost('take', async (first, cx) => {
    got = cx.args;
    return 'ok';
  });
  assert.equal(await rt.start('host_values', { name: 'take', big: 0 }).promise, 'ok');
  assert.equal(got.length, 7);
  assert.equal(got[0], 1.5);
  assert.equal(got[1], 'a\0b'); // the NUL is part of the string
  assert.equal(got[1].length, 3);
  assert.ok(got[2] instanceof Uint8Array);
  assert.deepEqual([...got[2]], [0x01, 0x00, 0xff]); // byte-exact: no UTF-8 decoding
  assert.ok(got[3] instanceof Uint8Array);
  assert.equal(got[3].length, 0);
  assert.deepEqual(got[4], { k: [1, 2] });
  assert.equal(got[5], undefined);
  assert.equal(got[6].length, 0);
});

test('8 MiB of bytes from C arrive byte-exact, and 8 MiB from JS go back byte-exact', T, async () => {
  const rt = await typed.open();
  const big = 8 << 20;
  let arrived;
  rt.defineHost('take', async (first, cx) => {
    arrived = cx.args[6];
    const back = new Uint8Array(big);
    for (let i = 0; i < big; i++) back[i] = (i * 7) & 0xff;
    return back;
  });
  const value = await rt.start('host_values', { name: 'take', big }).promise;
  assert.equal(arrived.length, big);
  let same = true;
  for (let i = 0; i < big && same; i++) same = arrived[i] === ((i * 31) & 0xff);
  assert.ok(same, 'the bytes from C are the pattern C wrote');
  assert.ok(value instanceof Uint8Array);
  assert.equal(value.length, big);
  same = true;
  for (let i = 0; i < big && same; i++) same = value[i] === ((i * 7) & 0xff);
  assert.ok(same, 'the bytes back from JS are the pattern JS wrote');
});

const ROUND_TRIPS = [
  ['a number, without text', 0.1 + 0.2],
  ['a negative zero', -0],
  ['NaN', NaN],
  ['a string with NUL and non-ASCII', 'x\0y\0é€😀'],
  ['an empty string', ''],
  ['bytes with 00 and ff', new Uint8Array([0, 255, 0, 128, 1])],
  ['empty bytes', new Uint8Array(0)],
  ['JSON', { list: [1, 'two', null, true], nested: { deep: 'yes' } }],
  ['a boolean', true],
  ['false', false],
  ['a BigInt', -(2n ** 63n)],
  ['null', null],
  ['undefined', undefined],
];

for (const [what, value] of ROUND_TRIPS) {
  test(`round trip JS -> C -> JS: ${what}`, T, async () => {
    const rt = await typed.open();
    let seen;
    rt.defineHost('give', async () => value);
    rt.defineHost('echo', async (v) => {
      seen = v;
      return v;
    });
    const back = await rt.start('host_relay', { first: 'give', then: 'echo' }).promise;
    for (const v of [seen, back]) {
      if (value instanceof Uint8Array) {
        assert.ok(v instanceof Uint8Array);
        assert.deepEqual([...v], [...value]);
      } else {
        assert.deepEqual(v, value);
        if (Object.is(value, -0)) assert.ok(Object.is(v, -0));
      }
    }
  });
}

test('an ArrayBuffer and other views go to C as their bytes', T, async () => {
  const rt = await typed.open();
  rt.defineHost('give', async () => new Uint16Array([0x0102, 0xfffe]));
  rt.defineHost('echo', async (v) => v);
  assert.deepEqual([...await rt.start('host_relay', { first: 'give', then: 'echo' }).promise], [0x02, 0x01, 0xfe, 0xff]);
  rt.defineHost('give', async () => new Uint8Array([9, 8, 7]).buffer);
  assert.deepEqual([...await rt.start('host_relay', { first: 'give', then: 'echo' }).promise], [9, 8, 7]);
});

test('handles: a JS object goes to C as a handle and comes back as the same object; released, it is an error', T, async () => {
  const rt = await typed.open();
  const secret = { name: 'not copied', self: null };
  secret.self = secret; // circular: it could never cross as JSON
  let seen;
  rt.defineHost('give', async () => rt.handle(secret));
  rt.defineHost('echo', async (v) => {
    seen = v;
    return rt.handle(v);
  });
  const back = await rt.start('host_relay', { first: 'give', then: 'echo' }).promise;
  assert.equal(seen, secret);
  assert.equal(back, secret);
  assert.equal(rt.handlesLive, 2); // C keeps both until it releases them
  // Released by C before it passes it on: the call fails with EINVAL naming the handle; the runtime goes on.
  let called = false;
  rt.defineHost('echo', async () => { called = true; });
  await rejectsWith(rt.start('host_relay', { first: 'give', then: 'echo', release: 1 }).promise, 'EINVAL', /argument 0: handle \d+ was released/);
  assert.equal(called, false);
  assert.equal(rt.handlesLive, 2);
  rt.defineHost('echo', async (v) => rt.handle(v));
  assert.equal(await rt.start('host_relay', { first: 'give', then: 'echo' }).promise, secret);
});

test('a typed value JS cannot send: EHOST with the reason; one that C sends badly: EINVAL', T, async () => {
  const rt = await typed.open();
  rt.defineHost('give', async () => 2n ** 64n);
  rt.defineHost('echo', async (v) => v);
  await rejectsWith(rt.start('host_relay', { first: 'give', then: 'echo' }).promise, 'EHOST', /BigInt outside the int64 range has no typed form/);
  rt.defineHost('give', async () => circular());
  await rejectsWith(rt.start('host_relay', { first: 'give', then: 'echo' }).promise, 'EHOST', /circular/i);
  // A string from JS with a lone surrogate cannot be valid UTF-8: it is encoded with U+FFFD, as TextEncoder does.
  rt.defineHost('give', async () => 'a\uD800b');
  assert.equal(await rt.start('host_relay', { first: 'give', then: 'echo' }).promise, 'a\uFFFDb');
  assert.equal(rt.closed, false);
});

// Numbers, booleans, null, undefined and handles come to C inline (wsx_op_complete_value: no block), and one number
// argument goes to JS as an import parameter (host_call_n): each value makes the round trip JS -> C -> JS unchanged,
// a function declared with a context sees the number in context.args too, and nothing is left allocated.
test('inline values: numbers, booleans, null, undefined and handles round-trip; one number argument arrives as a number', T, async () => {
  const rt = await typed.open();
  const obj = { id: 'inline handle' };
  const round = async () => {
    for (const v of [0, -0.5, 1e300, NaN, -Infinity, true, false, null, undefined, 42]) {
      let arrived = 'not called';
      rt.defineHost('give', async () => v);
      rt.defineHost('echo', async (x) => { arrived = x; return x; });
      const back = await rt.start('host_relay', { first: 'give', then: 'echo' }).promise;
      assert.ok(Object.is(arrived, v), `${String(v)} arrived as ${String(arrived)}`);
      assert.ok(Object.is(back, v), `${String(v)} came back as ${String(back)}`);
    }
    rt.defineHost('give', async () => rt.handle(obj));
    rt.defineHost('echo', async (x) => rt.handle(x));
    assert.equal(await rt.start('host_relay', { first: 'give', then: 'echo' }).promise, obj);
    // host_many typed: one number argument per call; with a context, context.args holds it too
    const seen = [];
    rt.defineHost('twice', async (x, cx) => {
      assert.equal(typeof x, 'number');
      assert.deepEqual(cx.args, [x]);
      seen.push(x);
      return x * 2;
    });
    assert.equal(await rt.start('host_many', { name: 'twice', n: 50, width: 1, typed: 1 }).promise, 2 * 1225);
    assert.deepEqual(seen, [...Array(50).keys()]);
    rt.defineHost('id', async (x) => x);
    assert.equal(await rt.start('host_many', { name: 'id', n: 3000, width: 1000, typed: 1 }).promise, 2999 * 1500);
  };
  await round(); // the first round sizes the runtime's tables; a second allocates nothing more
  const bytes0 = rt.stats().bytesLive;
  await round();
  const s = rt.stats();
  assert.equal(s.opsInFlight, 0);
  assert.equal(s.bytesLive, bytes0);
});
