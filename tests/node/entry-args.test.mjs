// Typed entry arguments: rt.start sends each argument to C as a ws_value (never as text), by parameter name or by
// position, and a wrong count or type is one EINVAL line naming the parameter, with nothing spawned. The examples
// module's typed_args entry (wasm/src/entry_points_bridge.c) takes a (any value), b (a number or a BigInt, or
// nothing) and c (bytes or a string, required), and returns the one `pick` names as a typed value, so every value
// goes JS -> C -> JS. A property (fast-check) checks the round trip of random values of every type.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runtimes, throwsWith, EXAMPLES_WASM } from './helpers.mjs';

const T = { timeout: 60_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
after(() => rts.closeAll());

const back = (rt, args) => rt.start('typed_args', args).promise;

// What a value comes back as: bytes of any view as a Uint8Array, arrays and objects as JSON makes them (a -0
// inside is 0), everything else as it went.
function expected(v) {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v !== null && typeof v === 'object') return JSON.parse(JSON.stringify(v));
  return v;
}

function same(got, want) {
  if (want instanceof Uint8Array) {
    assert.ok(got instanceof Uint8Array, `a Uint8Array, not ${typeof got}`);
    assert.deepEqual([...got], [...want]);
  } else {
    assert.deepEqual(got, want);
    if (Object.is(want, -0)) assert.ok(Object.is(got, -0), '-0 stays -0');
  }
}

test('each type of value reaches C typed and comes back the same, by name and by position', T, async () => {
  const rt = await rts.open();
  const values = [1.5, -0, NaN, 2 ** 53, 9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n, 'a\0b é€😀', '',
    new Uint8Array([0, 255, 0, 128]), new Uint8Array(0), new Uint16Array([0x0102]).buffer, true, false, null,
    { list: [1, 'two', null, true], nested: { deep: 'yes' } }, [1, [2, [3]]]];
  for (const v of values) {
    same(await back(rt, { a: v, c: 'x' }), expected(v));
    same(await back(rt, [v, undefined, 'x']), expected(v));
  }
  same(await back(rt, { a: undefined, c: 'x' }), undefined);
  // b takes numbers and BigInts; c bytes and strings (NUL bytes kept in both directions)
  same(await back(rt, { b: 7, c: 'x', pick: 1 }), 7);
  same(await back(rt, { b: -5n, c: 'x', pick: 1 }), -5n);
  same(await back(rt, { c: new Uint8Array([1, 0, 2]), pick: 2 }), new Uint8Array([1, 0, 2]));
  same(await back(rt, { c: '\0\0', pick: 2 }), '\0\0');
});

test('a handle passed as an argument reaches C as a handle and comes back as the same object', T, async () => {
  const rt = await rts.open();
  const secret = { name: 'not copied' };
  secret.self = secret; // circular: it could not cross as JSON
  const before = rt.handlesLive;
  assert.equal(await back(rt, { a: rt.handle(secret), c: 'x' }), secret);
  assert.equal(rt.handlesLive, before + 1, 'C holds the handle (typed_args never releases it)');
});

test('a text parameter keeps NUL bytes (no truncation): host_echo passes its argument on with its length', T, async () => {
  const rt = await rts.open();
  rt.defineHost('id', async (s) => s);
  assert.equal(await rt.start('host_echo', { name: 'id', arg: 'a\0b\0' }).promise, 'a\0b\0');
  assert.equal(await rt.start('host_echo', ['id', '\0']).promise, '\0');
});

test('numbers: an int parameter takes an integer number or BigInt in range, nothing else', T, async () => {
  const rt = await rts.open();
  rt.defineHost('n', async (s) => s);
  assert.equal(await rt.start('host_many', { name: 'n', n: 3n, width: 1 }).promise, 3); // '0' + '1' + '2'
  throwsWith(() => rt.start('host_many', { name: 'n', n: 1.5 }), 'EINVAL', /^host_many: parameter 'n' must be an integer, not 1\.5$/);
  throwsWith(() => rt.start('host_many', { name: 'n', n: '3' }), 'EINVAL', /^host_many: parameter 'n' must be an integer, not "3"$/);
  throwsWith(() => rt.start('host_many', { name: 'n', width: 0 }), 'EINVAL', /^host_many: parameter 'width' must be from 1 to 1000, not 0$/);
  throwsWith(() => rt.start('host_many', { name: 'n', n: 10n ** 20n }), 'EINVAL', /^host_many: parameter 'n' must be from 0 to 100000000, not 100000000000000000000n$/);
});

test('a wrong count or type is one EINVAL line naming the parameter, and nothing is spawned', T, async () => {
  const rt = await rts.open();
  const spawned = rt.stats().spawned;
  const bad = [
    [[1, 2, 'x', 0, 'extra'], /^typed_args: takes at most 4 arguments \(a, b, c, pick\), not 5$/],
    [{ a: 1 }, /^typed_args: parameter 'c' is required \(string or bytes\)$/],
    [[1], /^typed_args: parameter 'c' is required \(string or bytes\)$/],
    [{ b: 'x', c: 'x' }, /^typed_args: parameter 'b' must be number or bigint, not "x"$/],
    [{ c: 5 }, /^typed_args: parameter 'c' must be string or bytes, not 5$/],
    [{ c: null }, /^typed_args: parameter 'c' must be string or bytes, not null$/],
    [{ a: () => 1, c: 'x' }, /^typed_args: parameter 'a' cannot take a function$/],
    [{ a: Symbol('s'), c: 'x' }, /^typed_args: parameter 'a' cannot take a symbol$/],
    [{ a: 2n ** 64n, c: 'x' }, /^typed_args: parameter 'a': a BigInt outside the int64 range has no typed form$/],
    [{ d: 1, c: 'x' }, /^typed_args: unknown parameter 'd' \(expected a, b, c, pick\)$/],
    [{ c: 'x', pick: 3 }, /^typed_args: parameter 'pick' must be from 0 to 2, not 3$/],
  ];
  for (const [args, message] of bad) {
    throwsWith(() => rt.start('typed_args', args), 'EINVAL', message);
  }
  const loop = { c: 'x' };
  loop.a = loop;
  throwsWith(() => rt.start('typed_args', loop), 'EINVAL', /^typed_args: an argument cannot be passed to C: .*circular/i);
  throwsWith(() => rt.start('typed_args', 'x'), TypeError, /^typed_args: arguments must be an object or an array, not "x"$/);
  throwsWith(() => rt.start('sleep', [1, 2]), 'EINVAL', /^sleep: takes at most 1 argument \(ms\), not 2$/);
  assert.equal(rt.stats().spawned, spawned, 'no task was spawned');
  const s = rt.stats();
  assert.equal(s.tasksLive, 0);
  same(await back(rt, { a: 1, c: 'x' }), 1); // still works
});

// fast-check: any value of the supported types, nested JSON included, comes back equal.
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const json = fc.jsonValue().filter((v) => v !== null && typeof v === 'object'); // arrays and objects go as JSON
const anyValue = fc.oneof(
  fc.double(), fc.integer(), int64, fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 300 }), fc.boolean(),
  fc.constant(null), fc.constant(undefined), json,
);

test('property: random typed arguments of every type make the round trip JS -> C -> JS unchanged', T, async () => {
  const rt = await rts.open();
  await fc.assert(fc.asyncProperty(anyValue, fc.oneof(fc.double(), int64, fc.constant(undefined)),
    fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 300 })), fc.boolean(),
    async (a, b, c, positional) => {
      const args = positional ? [a, b, c] : { a, b, c };
      same(await back(rt, positional ? [...args, 0] : { ...args, pick: 0 }), expected(a));
      same(await back(rt, positional ? [...args, 1] : { ...args, pick: 1 }), b);
      same(await back(rt, positional ? [...args, 2] : { ...args, pick: 2 }), c);
    }), { numRuns: Number(process.env.WASYNC_PROPERTY_RUNS ?? 200) });
  assert.equal(rt.stats().tasksLive, 0);
});
