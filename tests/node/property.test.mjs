// A property-based test of the JS API (fast-check): random sequences of createRuntime, defineHost (host functions
// that resolve, reject, throw, never settle, settle late, or return no promise), start (with and without an
// AbortSignal), abort, abortTask, close, configure and readTrace, with valid arguments and random values of every
// type. After each sequence:
//   - every call that threw, threw an Error whose message is one line naming the problem (no raw engine message);
//   - every job's promise has settled (after the jobs still pending are aborted), rejections are WasyncErrors;
//   - nothing was left as an unhandled rejection;
//   - the runtime is either cleanly closed (every call throws ECLOSED) or usable, with no task, operation or byte
//     of memory left over: bytesLive is back to its baseline.
// A failure prints the seed and the shrunk sequence: replay it with WASYNC_PROPERTY_SEED (and _PATH).
//   WASYNC_PROPERTY_RUNS  sequences to try (default 40: a few seconds; e.g. 2000 for a long run)
//   WASYNC_PROPERTY_SEED  the seed (default: random)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import fc from 'fast-check';
import { createRuntime, WasyncError, EXAMPLES_WASM, WASM_FILE } from './helpers.mjs';

const RUNS = Number(process.env.WASYNC_PROPERTY_RUNS ?? 40);
const SEED = process.env.WASYNC_PROPERTY_SEED !== undefined ? Number(process.env.WASYNC_PROPERTY_SEED) : undefined;
const PATH = process.env.WASYNC_PROPERTY_PATH;

// Host names the C side may be asked to call: a fixed set, so that the names interned for the trace are all
// interned during the warm-up and the memory baseline holds.
const NAMES = ['a', 'b', 'c'];
const MISSING = 'missing';
const CODES = new Set(['EINVAL', 'ENOMEM', 'ECANCELED', 'ECLOSED', 'ETIMEDOUT', 'ESTALE', 'EHOST', 'EBUSY', 'EFULL',
  'EEMPTY', 'ENOENT', 'ESTALL', 'ETRAP', 'EUSER', 'EUNKNOWN']);

let wasm;
before(async () => {
  wasm = await WebAssembly.compile(await fs.readFile(WASM_FILE));
});

// Values of every type, with object keys that never name an entry's parameter (a random `name` would make the C
// side intern a host name the warm-up did not, and the memory check would see it).
const junk = fc.oneof(
  fc.anything({ key: fc.constantFrom('x', 'y', 'z', 'k') , withBigInt: true, withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withDate: true }),
  fc.constantFrom(NaN, -0, Infinity, -1, 2 ** 53, 1.5, '', 'x'.repeat(300), Symbol('s'), () => 1, new ArrayBuffer(3), null, undefined),
);
const hostValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.uint8Array({ maxLength: 8 }), fc.dictionary(fc.constantFrom('p', 'q'), fc.integer(), { maxKeys: 2 }), junk);

const validArgs = {
  host_echo: fc.record({ name: fc.constantFrom(...NAMES, MISSING), arg: fc.string({ maxLength: 16 }) }),
  host_many: fc.record({ name: fc.constantFrom(...NAMES), n: fc.integer({ min: 1, max: 12 }), width: fc.integer({ min: 1, max: 4 }) }),
  sleep: fc.record({ ms: fc.integer({ min: 0, max: 20 }) }),
  never: fc.constant({}),
};
const entryArgs = fc.oneof(
  ...Object.entries(validArgs).map(([entry, args]) => ({ weight: 3, arbitrary: fc.record({ entry: fc.constant(entry), args }) })),
  { weight: 2, arbitrary: fc.record({ entry: fc.constantFrom(...Object.keys(validArgs), 'nope'), args: junk }) },
  { weight: 1, arbitrary: fc.record({ entry: junk, args: fc.constant({}) }) },
);

const command = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('define'), name: fc.oneof(fc.constantFrom(...NAMES), junk), kind: fc.constantFrom('resolve', 'reject', 'throw', 'never', 'late', 'plain', 'junk'), value: hostValue, ms: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 12, arbitrary: fc.record({ op: fc.constant('start'), call: entryArgs, signal: fc.constantFrom('none', 'aborted', 'later', 'junk') }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('abort'), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('abortSignal'), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('abortTask'), id: fc.oneof(fc.nat(), junk), useJob: fc.boolean(), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('configure'), options: fc.oneof(fc.record({ budget: fc.integer({ min: 0, max: 300 }), sliceMs: fc.integer({ min: 0, max: 8 }) }, { requiredKeys: [] }), junk) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('readTrace'), options: fc.oneof(fc.constant(undefined), fc.record({ clear: fc.boolean() }), junk) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('stats') }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('turn'), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close') }) },
);

const scenario = fc.record({
  clock: fc.constantFrom('virtual', 'real'),
  trace: fc.boolean(),
  commands: fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }),
});

const turn = () => new Promise((r) => setImmediate(r));

// What the sequences did, over all runs: shown at the end, so a generator that stopped reaching the runtime shows.
const seen = { sequences: 0, calls: 0, refused: 0, jobs: 0, resolved: 0, rejected: {}, closed: 0 };

// What every thrown or rejected error must look like.
function checkError(e, what) {
  assert.ok(e instanceof Error, `${what}: an Error, not ${typeof e} ${String(e).slice(0, 60)}`);
  assert.equal(typeof e.message, 'string', `${what}: a message`);
  assert.ok(e.message.length > 0 && e.message.length <= 400, `${what}: a message of 1..400 characters: ${e.message.slice(0, 200)}`);
  assert.ok(!e.message.includes('\n'), `${what}: a one-line message: ${e.message.slice(0, 200)}`);
  assert.ok(!/Cannot (read|destructure)|is not a function|is not iterable|serialize a BigInt|Cannot convert|undefined \(reading/.test(e.message),
    `${what}: names the problem rather than a raw engine error: ${e.message}`);
  if (e instanceof WasyncError) assert.ok(CODES.has(e.code), `${what}: a known code, not ${e.code}`);
}

function hostFunction(kind, value, ms, late) {
  switch (kind) {
    case 'resolve': return async () => value;
    case 'reject': return () => Promise.reject(value);
    case 'throw': return () => { throw value; };
    case 'never': return () => new Promise(() => {});
    case 'late': return () => new Promise((resolve) => { late.push(new Promise((done) => setTimeout(() => { resolve(value); done(); }, ms))); });
    case 'plain': return () => value;
    default: return value; // not a function: defineHost must refuse it
  }
}

async function warmUp(rt) {
  for (const name of NAMES) {
    rt.defineHost(name, async (s) => s);
    assert.equal(await rt.start('host_echo', { name, arg: 'w' }).promise, 'w');
    assert.equal(await rt.start('host_many', { name, n: 2, width: 2 }).promise, 1); // '0' + '1'
  }
  await rt.start('host_echo', { name: MISSING, arg: 'w' }).promise.then(() => assert.fail('missing host'), (e) => assert.equal(e.code, 'ENOENT'));
  const j = rt.start('never');
  j.abort();
  await j.promise.catch(() => {});
  assert.equal(await rt.start('sleep', { ms: 1 }).promise, 1);
  rt.readTrace({ clear: true });
  return rt.stats();
}

async function runScenario({ clock, trace, commands }) {
  const rt = await createRuntime({ wasm, clock, trace, traceCapacity: 256 });
  const base = await warmUp(rt);
  const jobs = [];
  const controllers = [];
  const late = [];
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  seen.sequences++;
  const attempt = (what, fn) => {
    seen.calls++;
    try {
      return fn();
    } catch (e) {
      seen.refused++;
      checkError(e, what);
      if (rt.closed) assert.equal(e.code, 'ECLOSED', `${what} after close: ECLOSED, not ${e.message}`);
      return undefined;
    }
  };
  try {
    for (const c of commands) {
      switch (c.op) {
        case 'define':
          attempt('defineHost', () => rt.defineHost(c.name, hostFunction(c.kind, c.value, c.ms, late)));
          break;
        case 'start': {
          let options;
          if (c.signal === 'aborted') options = { signal: AbortSignal.abort() };
          else if (c.signal === 'later') {
            const ac = new AbortController();
            controllers.push(ac);
            options = { signal: ac.signal };
          } else if (c.signal === 'junk') options = { signal: 42 };
          const job = attempt(`start(${typeof c.call.entry === "string" ? c.call.entry.slice(0, 20) : typeof c.call.entry})`, () => rt.start(c.call.entry, c.call.args, options));
          if (job) {
            const rec = { job, settled: false };
            seen.jobs++;
            rec.done = job.promise.then(
              () => { rec.settled = true; seen.resolved++; },
              (e) => {
                rec.settled = true;
                seen.rejected[e?.code] = (seen.rejected[e?.code] ?? 0) + 1;
                checkError(e, 'a job\'s rejection');
                assert.ok(e instanceof WasyncError, `rejection is a WasyncError: ${e.message}`);
              },
            );
            jobs.push(rec);
          }
          break;
        }
        case 'abort':
          if (jobs.length) assert.equal(typeof jobs[c.which % jobs.length].job.abort(), 'boolean');
          break;
        case 'abortSignal':
          if (controllers.length) controllers[c.which % controllers.length].abort();
          break;
        case 'abortTask': {
          const id = c.useJob && jobs.length ? jobs[c.which % jobs.length].job.id : c.id;
          attempt('abortTask', () => rt.abortTask(id));
          break;
        }
        case 'configure':
          attempt('configure', () => rt.configure(c.options));
          break;
        case 'readTrace': {
          const events = attempt('readTrace', () => rt.readTrace(c.options));
          if (events !== undefined) assert.ok(Array.isArray(events));
          break;
        }
        case 'stats':
          attempt('stats', () => rt.stats());
          break;
        case 'turn':
          for (let i = 0; i < c.n; i++) await turn();
          break;
        case 'close':
          seen.closed++;
          rt.close();
          assert.equal(rt.closed, true);
          break;
        default:
          throw new Error(`unknown command ${c.op}`);
      }
    }
    // Whatever is still pending gets aborted; then every promise must settle.
    if (!rt.closed) for (const { job, settled } of jobs) if (!settled) job.abort();
    let timer;
    const bound = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('bound')), 10_000); });
    try {
      await Promise.race([Promise.all(jobs.map((j) => j.done)), bound]);
    } catch (e) {
      if (e.message !== 'bound') throw e;
      assert.fail(`${jobs.filter((j) => !j.settled).length} of ${jobs.length} promises never settled`);
    } finally {
      clearTimeout(timer);
    }
    await Promise.all(late); // late settlements arrive after their jobs were aborted, and are ignored
    await turn();
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    if (rt.closed) {
      assert.throws(() => rt.start('sleep', { ms: 1 }), (e) => e.code === 'ECLOSED');
      assert.throws(() => rt.stats(), (e) => e.code === 'ECLOSED');
    } else {
      const s = rt.stats();
      assert.equal(s.tasksLive, 0, 'no task left');
      assert.equal(s.opsInFlight, 0, 'no operation left');
      assert.equal(s.bytesLive, base.bytesLive, 'bytesLive back to its baseline');
      rt.configure({ budget: 128, sliceMs: 4 });
      rt.defineHost('a', async (x) => x);
      assert.equal(await rt.start('host_echo', { name: 'a', arg: 'still works' }).promise, 'still works');
      rt.close();
    }
  } finally {
    process.off('unhandledRejection', onUnhandled);
    if (!rt.closed) rt.close();
  }
}

test(`random sequences of API calls leave every promise settled and no memory behind (${RUNS} runs)`, { timeout: 600_000 }, async (t) => {
  await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: RUNS, seed: SEED, path: PATH, verbose: 2, includeErrorInReport: true });
  t.diagnostic(`what the sequences did: ${JSON.stringify(seen)}`);
  assert.ok(seen.resolved > 0 && Object.keys(seen.rejected).length > 2, 'the sequences reached the runtime');
});
