// The executor's state at the cursor (issue: the timeline as a teacher, item 2): run queue, poll stack, registered
// wakers and timer heap, rebuilt from the trace, followed while stepping with the keyboard.
// Screenshots: tests/browser/artifacts/executor-*.png.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, shot, artifact } from './harness.mjs';

const T = { timeout: 60_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const items = (page, id, attr) => page.$$eval(`[data-testid=${id}] .ex-item`, (ls, a) => ls.map((l) => (a ? l.getAttribute(a) : l.textContent.trim())), attr);

// Steps the cursor to trace index i with the keyboard, from the first event.
async function stepTo(page, i) {
  await page.focus('[data-testid=timeline]');
  await page.keyboard.press('Home');
  for (let k = 0; k < i; k++) await page.keyboard.press('ArrowRight');
}

test('spawn: the run queue, the poll stack, the wakers and the timer heap at chosen steps', T, async () => {
  const { page, context, errors } = await h.open('?example=spawn');
  const trace = await page.evaluate(() => window.wasyncPlayground.run.trace);
  const at = (pred) => trace.findIndex(pred);
  // Task 1 spawned both fetches inside its first poll: both are queued, in spawn order, while it runs.
  await stepTo(page, at((e) => e.kind === 'wake' && e.task === 3 && e.cause === 'spawn'));
  assert.deepEqual(await items(page, 'run-queue', 'data-task'), ['2', '3']);
  assert.match((await items(page, 'poll-stack'))[0], /#1 spawn/);
  await page.locator('#executor-card').screenshot({ path: artifact('executor-spawn-queued') });
  // Task 2's poll: it left the queue; the stack is task 2 with the sleep nested in it.
  const sleepPoll = at((e) => e.kind === 'poll' && e.task === 2 && e.depth === 1);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(sleepPoll, Number((await page.textContent('[data-testid=step-index]')).split(' ')[0]) - 1, 'three steps on');
  assert.deepEqual(await items(page, 'run-queue', 'data-task'), ['3']);
  const stack = await items(page, 'poll-stack');
  assert.equal(stack.length, 2);
  assert.match(stack[0], /sleep/);
  assert.match(stack[1], /#2 fetch a/);
  // After both fetches armed their timers: queue empty, three wakers (two sleeps, the join handle), heap by deadline.
  await stepTo(page, at((e) => e.kind === 'timer' && e.timer === 2));
  assert.deepEqual(await items(page, 'run-queue', 'data-task'), []);
  assert.deepEqual((await items(page, 'wakers', 'data-kind')).sort(), ['task', 'timer', 'timer']);
  assert.deepEqual(await items(page, 'timer-heap', 'data-timer'), ['1', '2']);
  await page.locator('#executor-card').screenshot({ path: artifact('executor-spawn-waiting') });
  await shot(page, 'executor-spawn-page');
  // Timer 1 fires: it leaves the heap, task 2 is queued, its sleep no longer holds a waker.
  await stepTo(page, at((e) => e.kind === 'wake' && e.cause === 'timer' && e.source === 1));
  assert.deepEqual(await items(page, 'timer-heap', 'data-timer'), ['2']);
  assert.deepEqual(await items(page, 'run-queue', 'data-task'), ['2']);
  assert.deepEqual((await items(page, 'wakers', 'data-kind')).sort(), ['task', 'timer']);
  // Task 2 finished and woke task 1: task 1 is queued, its join handle's waker was used.
  await stepTo(page, at((e) => e.kind === 'wake' && e.cause === 'task'));
  assert.deepEqual(await items(page, 'run-queue', 'data-task'), ['1']);
  assert.deepEqual(await items(page, 'wakers', 'data-kind'), ['timer']);
  // At the end nothing is left.
  await page.keyboard.press('End');
  for (const id of ['run-queue', 'poll-stack', 'wakers', 'timer-heap']) assert.deepEqual(await items(page, id), [], `${id} empty at the end`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('timeout: the losing timer leaves the heap when the select drops it', T, async () => {
  const { page, context } = await h.open('?example=timeout');
  const trace = await page.evaluate(() => window.wasyncPlayground.run.trace);
  await stepTo(page, trace.findIndex((e) => e.kind === 'timer' && e.timer === 2));
  assert.deepEqual(await items(page, 'timer-heap', 'data-timer'), ['2', '1'], 'by deadline: the 150 ms limit first');
  await page.keyboard.press('End');
  assert.deepEqual(await items(page, 'timer-heap', 'data-timer'), []);
  await context.close();
});

test('cooperative: a task woken by its timer goes to the front of the queue, before the yielded worker', T, async () => {
  const { page, context } = await h.open('?example=cooperative');
  const trace = await page.evaluate(() => window.wasyncPlayground.run.trace);
  // A timer wake that happens while the worker (task 3) already waits in the queue after yielding.
  const i = trace.findIndex((e, k) => e.kind === 'wake' && e.cause === 'timer' && e.task === 2 && k > 0
    && trace.slice(0, k).some((x) => x.kind === 'wake' && x.cause === 'self' && x.task === 3));
  assert.ok(i > 0);
  await stepTo(page, i);
  const q = await items(page, 'run-queue', 'data-task');
  assert.equal(q[0], '2', `ticker first: ${q}`);
  assert.ok(q.includes('3'), `the worker waits behind it: ${q}`);
  await context.close();
});

// The task table and the run queue tell the same story at every step: ws_spawn queues the new task itself, so a
// task the table calls "scheduled" is in the queue from its spawn event on, and a queued task is "scheduled".
test('spawn: right after a spawn, the new task is scheduled in the task table and queued in the executor panel', T, async () => {
  const { page, context, errors } = await h.open('?example=spawn');
  const trace = await page.evaluate(() => window.wasyncPlayground.run.trace);
  const spawn2 = trace.findIndex((e) => e.kind === 'spawn' && e.task === 2);
  assert.ok(spawn2 > 0 && trace[spawn2 + 1].kind === 'wake', 'the spawn wake follows the spawn');
  await stepTo(page, spawn2);
  const state = (t) => page.getAttribute(`[data-testid=task-console] tr[data-task="${t}"]`, 'data-state');
  assert.equal(await state(2), 'scheduled');
  assert.deepEqual(await items(page, 'run-queue', 'data-task'), ['2'], 'queued at its spawn, before the spawn wake');
  await page.locator('#tasks-card').screenshot({ path: artifact('executor-spawn-tasks') });
  await page.locator('#executor-card').screenshot({ path: artifact('executor-spawn-step') });
  // Every step of the examples with several tasks: "scheduled" in the table <=> in the run queue.
  for (const ex of ['spawn', 'channel', 'cooperative', 'abort', 'timeout']) {
    const bad = await page.evaluate(async (name) => {
      const base = new URL('js/', location.href).href;
      const { buildModel } = await import(`${base}model.js`);
      const { executorAt } = await import(`${base}executor-state.js`);
      const { tasksAt } = await import(`${base}replay.js`);
      const pkg = await import(`${base}pkg.js`);
      const rt = await pkg.createRuntime({ trace: true, wasm: pkg.EXAMPLES_WASM });
      const r = await rt.runExample(name, {});
      rt.close();
      const m = buildModel(r.trace);
      const out = [];
      for (let i = 0; i < r.trace.length; i++) {
        const q = executorAt(m, i).queue;
        const sched = [...tasksAt(m, i)].filter(([, s]) => s.state === 'scheduled').map(([t]) => t);
        if (q.length !== sched.length || sched.some((t) => !q.includes(t))) out.push({ i, kind: r.trace[i].kind, q, sched });
      }
      return out.slice(0, 3);
    }, ex);
    assert.deepEqual(bad, [], `${ex}: the table's scheduled tasks are the run queue at every step`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
