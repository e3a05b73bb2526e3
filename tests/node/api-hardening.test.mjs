// The package API against careless or hostile input: the wasm and baseUrl options, BigInt arguments, configure
// and readTrace options, rejection values that are not Errors, enormous names, and runExample's decoding of a
// full trace. Every error is one line that names the problem, and the runtime keeps working after each.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  runtimes, createRuntime, WasyncError, assertWorks, rejectsWith, WASM_FILE, EXAMPLES_WASM,
} from './helpers.mjs';
import { decodeTrace, decodeTraceInChunks } from '../../wasm/lib/trace.js';

const T = { timeout: 60_000 };
const rts = runtimes({ wasm: EXAMPLES_WASM });
after(() => rts.closeAll());

const oneLine = (e) => {
  assert.ok(e instanceof Error, 'an Error');
  assert.ok(!e.message.includes('\n'), `one line: ${e.message.slice(0, 200)}`);
  assert.ok(e.message.length < 400, `short: ${e.message.length} characters`);
  return true;
};
const throwsType = (fn, re) => assert.throws(fn, (e) => oneLine(e) && e instanceof TypeError && re.test(e.message));

test('the wasm option: anything but bytes, a URL or a module is a TypeError naming it', T, async () => {
  const bad = [
    [null, /^createRuntime: wasm must be bytes \(an ArrayBuffer or a typed array\), a URL, a URL string, a WebAssembly\.Module or one of the package's modules, not null$/],
    [42, /wasm must be .*, not 42$/],
    ['', /wasm must be .*, not ""$/],
    [{}, /wasm must be .*, not \{\}$/],
    [true, /wasm must be .*, not true$/],
    ['http://[', /^createRuntime: wasm "http:\/\/\[" is not a valid URL$/],
  ];
  for (const [wasm, re] of bad) {
    await assert.rejects(createRuntime({ wasm }), (e) => oneLine(e) && e instanceof TypeError && re.test(e.message), `wasm: ${String(wasm)}`);
  }
  // Each accepted form works.
  const bytes = await fs.readFile(WASM_FILE);
  for (const wasm of [bytes, new Uint8Array(bytes).buffer, await WebAssembly.compile(bytes), new URL(`file://${WASM_FILE}`), `file://${WASM_FILE}`]) {
    const rt = await createRuntime({ wasm });
    assert.equal(await rt.start('sleep', { ms: 5 }).promise, 5);
    rt.close();
  }
});

test('the baseUrl option: a string or URL that is an absolute URL, else a TypeError naming it', T, async () => {
  for (const [baseUrl, re] of [
    [42, /^createRuntime: baseUrl must be an absolute URL string or a URL, not 42$/],
    [null, /baseUrl must be an absolute URL string or a URL, not null$/],
    ['not a url', /^createRuntime: baseUrl must be an absolute URL, not "not a url"$/],
    ['/relative/path', /baseUrl must be an absolute URL, not "\/relative\/path"$/],
    ['', /baseUrl must be an absolute URL, not ""$/],
  ]) {
    await assert.rejects(createRuntime({ baseUrl }), (e) => oneLine(e) && e instanceof TypeError && re.test(e.message), `baseUrl: ${baseUrl}`);
  }
  const rt = await rts.open({ baseUrl: new URL('http://127.0.0.1:1/some/page') });
  // The base is used: a relative URL resolves against it (port 1: refused, so the fetch fails naming that URL).
  await rejectsWith(rt.start('fetch_text', { url: 'x' }).promise, 'EHOST', /^fetch http:\/\/127\.0\.0\.1:1\/some\/x failed/);
  await assertWorks(rt);
});

test('a BigInt argument: an integer parameter takes it in range, any other is EINVAL naming the parameter', T, async () => {
  const rt = await rts.open();
  assert.equal(await rt.start('sleep', { ms: 10n }).promise, 10);
  assert.throws(() => rt.start('sleep', { ms: 10n ** 30n }),
    (e) => oneLine(e) && e instanceof WasyncError && e.code === 'EINVAL' && /^sleep: parameter 'ms' must be from 0 to \d+, not 1000000000000000000000000000000n$/.test(e.message));
  assert.throws(() => rt.start('host_echo', { name: 1n }), (e) => oneLine(e) && /parameter 'name' must be a string, not 1n$/.test(e.message));
  assert.throws(() => rt.start('sleep', 5n), (e) => oneLine(e) && /^sleep: arguments must be an object or an array, not 5n$/.test(e.message));
  assert.throws(() => rt.start(7n), (e) => oneLine(e) && /^start: name must be a string, not 7n$/.test(e.message));
  // A host function may resolve to a BigInt (sent as its digits) or to an object holding one (refused, one line).
  rt.defineHost('big', async () => 12345678901234567890n);
  assert.equal(await rt.start('host_echo', { name: 'big' }).promise, '12345678901234567890');
  rt.defineHost('bigInObject', async () => ({ n: 1n }));
  await rejectsWith(rt.start('host_echo', { name: 'bigInObject' }).promise, 'EHOST', /^host function 'bigInObject' resolved to a value that cannot be passed to C: /);
  await assertWorks(rt);
});

test('configure and readTrace: null, other types and unknown keys are TypeErrors naming them', T, async () => {
  const rt = await rts.open();
  throwsType(() => rt.configure(null), /^configure: options must be an object, not null$/);
  throwsType(() => rt.configure(42), /^configure: options must be an object, not 42$/);
  throwsType(() => rt.configure({ foo: 1 }), /^configure: unknown option 'foo' \(known: budget, sliceMs\)$/);
  throwsType(() => rt.configure({ budget: -1 }), /^configure: budget must be an integer from 0 to 4294967295, not -1$/);
  throwsType(() => rt.configure({ sliceMs: 'fast' }), /^configure: sliceMs must be a number from 0 to 60000, not "fast"$/);
  throwsType(() => rt.readTrace(null), /^readTrace: options must be an object, not null$/);
  throwsType(() => rt.readTrace({ clear: 'yes' }), /^readTrace: clear must be a boolean, not "yes"$/);
  throwsType(() => rt.readTrace({ clean: true }), /^readTrace: unknown option 'clean' \(known: clear\)$/);
  // Nothing was changed by the refused calls; valid ones still work.
  rt.configure({ budget: 4 });
  rt.configure();
  rt.configure({});
  assert.ok(Array.isArray(rt.readTrace()));
  assert.ok(Array.isArray(rt.readTrace({ clear: true })));
  await assertWorks(rt);
});

test('a host function that rejects with something other than an Error keeps that value in the message', T, async () => {
  const rt = await rts.open();
  const cases = [
    [42, "host function 'h' rejected with 42"],
    [{ message: 'custom reason' }, 'custom reason'],
    [{ code: 7 }, 'host function \'h\' rejected with {"code":7}'],
    [undefined, "host function 'h' rejected with undefined"],
    [null, "host function 'h' rejected with null"],
    ['plain text', 'plain text'],
    ['', "host function 'h' rejected with an empty string"],
    [new Error(''), "host function 'h' failed with Error"],
    [new Error('two\nlines'), 'two\\nlines'],
    [Symbol('s'), "host function 'h' rejected with Symbol(s)"],
  ];
  for (const [value, message] of cases) {
    rt.defineHost('h', () => Promise.reject(value));
    await rejectsWith(rt.start('host_echo', { name: 'h' }).promise, 'EHOST');
    const e = await rt.start('host_echo', { name: 'h' }).promise.catch((x) => x);
    assert.equal(e.message, message);
    rt.defineHost('h', () => { throw value; }); // thrown at once: the same message
    const t = await rt.start('host_echo', { name: 'h' }).promise.catch((x) => x);
    assert.equal(t.message, message);
  }
  await assertWorks(rt);
});

test('a 1 MB name is cut in every message that quotes it', T, async () => {
  const rt = await rts.open();
  const huge = 'n'.repeat(1 << 20);
  const cut = `'${'n'.repeat(60)}…' (1048576 characters)`;
  assert.throws(() => rt.start(huge), (e) => oneLine(e) && e.code === 'ENOENT' && e.message.startsWith(`no entry point named ${cut} (known: `));
  await assert.rejects(rt.runExample(huge), (e) => oneLine(e) && e.code === 'ENOENT' && e.message.startsWith(`no example named ${cut} (known: `));
  assert.throws(() => rt.defineHost(huge, 'not a function'), (e) => oneLine(e) && e.message === `defineHost: the host function for ${cut} must be a function, not "not a function"`);
  assert.throws(() => rt.start('sleep', { [huge]: 1 }), (e) => oneLine(e) && e.message.startsWith(`sleep: unknown parameter ${cut} (expected ms)`));
  const e = await rt.start('host_echo', { name: huge }).promise.catch((x) => x);
  assert.equal(e.code, 'ENOENT');
  assert.ok(oneLine(e) && e.message.startsWith(`no host function named ${cut} (defined: `), e.message.slice(0, 120));
  await assertWorks(rt);
});

test('runExample of a full trace (a full ring of 65 536 records, decoded between macrotasks) gets what readTrace gets', T, async () => {
  const rt = await rts.open();
  const run = await rt.runExample('channel', { count: 10000, capacity: 2, work: 0 });
  assert.match(run.truncated, /^trace limit reached/); // the ring is full: 65 536 records, poll ends folded in
  assert.ok(run.trace.length > 30_000, `${run.trace.length} events`);
  assert.deepEqual(run.trace, rt.readTrace());
  await assertWorks(rt);
});

test('the chunked decoder pauses between chunks and returns exactly what the one-go decoder does', T, async () => {
  // A ring of 20 000 yield records, made here, so the counts are exact.
  const R = 32;
  const count = 20_000;
  const cap = 1 << 15;
  const buf = new ArrayBuffer(cap * R);
  const v = new DataView(buf);
  for (let i = 0; i < count; i++) {
    const at = i * R;
    v.setUint32(at, i, true); // seq
    v.setBigUint64(at + 24, BigInt(i) * 1000n, true);
  }
  const { TRACE_KINDS } = await import('../../wasm/lib/contract.js');
  const kind = TRACE_KINDS.findIndex((k) => k?.kind === 'yield');
  for (let i = 0; i < count; i++) v.setUint8(i * R + 4, kind);
  const strings = () => '';
  const whole = decodeTrace(buf, 0, cap, 0, count, strings);
  let pauses = 0;
  const chunked = await decodeTraceInChunks(buf, 0, cap, 0, count, strings, async () => { pauses++; }, 4096);
  assert.deepEqual(chunked, whole);
  assert.equal(whole.length, count);
  // 20 000 records and 20 000 events to renumber, a pause after every 4 096 of each: 4 + 4.
  assert.equal(pauses, 8);
  // A pause that throws (the runtime closed) ends the decoding with that error.
  await assert.rejects(decodeTraceInChunks(buf, 0, cap, 0, count, strings, async () => { throw new WasyncError('ECLOSED', 'closed'); }), /closed/);
});
