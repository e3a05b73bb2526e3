// A module of one's own entry points (examples/hello, built with wasync_add_module) runs on the package's loader:
// createRuntime({ wasm }) with its own registry, host functions, timing and errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runtimes, rejectsWith } from './helpers.mjs';

const HELLO = path.join(ROOT, 'examples', 'hello', 'dist', 'hello.wasm');
const T = { timeout: 20_000 };
const rts = runtimes();
after(() => rts.closeAll());

test('examples/hello: its own registry, a JS promise awaited from C, exact virtual time', T, async () => {
  assert.ok(fs.existsSync(HELLO), `${HELLO} is missing: run bash scripts/build-wasm.sh`);
  const rt = await rts.open({ wasm: fs.readFileSync(HELLO) });
  assert.deepEqual(rt.entries, ['greet']);
  assert.deepEqual(rt.examples, []);
  assert.deepEqual(rt.blockingFunctions, [], 'no WS_MODULE_BLOCKING: no blocking functions (the bridge\'s weak default)');
  const asked = [];
  rt.defineHost('greeting', async (who) => { asked.push(who); return `Hi ${who}`; });
  const job = rt.start('greet', { name: 'Ada', count: 4 });
  assert.equal(await job.promise, 'Hi Ada (after 4 ticks)');
  assert.deepEqual(asked, ['Ada']);
  const trace = rt.readTrace();
  const timers = trace.filter((e) => e.kind === 'timer');
  assert.equal(timers.length, 4);
  const done = trace.find((e) => e.kind === 'complete');
  assert.equal(done.result, 'ok');
  // four 10 ms sleeps after the host answered: the last timer's deadline is 40 ms after the first was armed
  assert.equal(timers[3].deadline - timers[0].t, 40);
});

test('examples/hello: a rejected greeting fails the task with its message; the runtime goes on', T, async () => {
  const rt = await rts.open({ wasm: fs.readFileSync(HELLO) });
  let fail = true;
  rt.defineHost('greeting', async (who) => {
    if (fail) throw new Error(`no greeting for ${who}`);
    return `Hello ${who}`;
  });
  await rejectsWith(rt.start('greet', { name: 'Bob', count: 0 }).promise, 'EHOST', /no greeting for Bob/);
  fail = false;
  assert.equal(await rt.start('greet', { name: 'Bob', count: 1 }).promise, 'Hello Bob (after 1 ticks)');
  assert.throws(() => rt.start('join'), (err) => err.code === 'ENOENT');
});
