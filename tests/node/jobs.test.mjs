// Many jobs at once: each job's promise gets its own task's result, whatever order the tasks finish in, and job
// entries are reused (the bridge keeps free entries in a list and queues exactly the finished jobs; how the time
// grows with the number of jobs is measured by bench/jobs.mjs, not here).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runtimes, deferred, prng, shuffle, rejectsWith } from './helpers.mjs';

const T = { timeout: 60_000 };
const rts = runtimes();
after(() => rts.closeAll());

test('2000 jobs settled in a shuffled order each resolve with their own value; entries are reused', T, async () => {
  const rt = await rts.open();
  const gates = new Map();
  rt.defineHost('gate', (arg) => {
    const d = deferred();
    gates.set(arg, d);
    return d.promise;
  });
  const random = prng(11);
  for (let round = 0; round < 3; round++) {
    const n = 2000;
    const jobs = [];
    for (let i = 0; i < n; i++) {
      const job = rt.start('host_echo', { name: 'gate', arg: `${round}:${i}` });
      job.outcome = job.promise.then((value) => ({ value }), (error) => ({ error })); // handled at once
      jobs.push(job);
    }
    while (gates.size < n) await new Promise((r) => setImmediate(r));
    // Some jobs are aborted, the rest settle in a random order, in batches across event-loop turns.
    const aborted = new Set();
    for (let i = 0; i < n; i += 97) {
      assert.equal(jobs[i].abort(), true);
      aborted.add(i);
    }
    const order = shuffle([...Array(n).keys()].filter((i) => !aborted.has(i)), random);
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      gates.get(`${round}:${i}`).resolve(`v${round}:${i}`);
      if (k % 300 === 0) await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < n; i++) {
      const { value, error } = await jobs[i].outcome;
      if (aborted.has(i)) assert.equal(error?.code, 'ECANCELED', `job ${i}`);
      else assert.equal(value, `v${round}:${i}`);
    }
    gates.clear();
    const s = rt.stats();
    assert.equal(s.tasksLive, 0);
    assert.equal(s.opsInFlight, 0);
  }
});

test('closing with many jobs pending rejects each once, and a new runtime starts clean', T, async () => {
  const rt = await rts.open();
  rt.defineHost('never', () => new Promise(() => {}));
  const jobs = [];
  for (let i = 0; i < 500; i++) jobs.push(rt.start('host_echo', { name: 'never', arg: '' }).promise);
  await new Promise((r) => setImmediate(r));
  rt.close();
  for (const p of jobs) await rejectsWith(p, 'ECLOSED');
  const rt2 = await rts.open();
  rt2.defineHost('id', async (s) => s);
  assert.equal(await rt2.start('host_echo', { name: 'id', arg: 'fresh' }).promise, 'fresh');
});
