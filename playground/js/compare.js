// Compare mode: two examples run with the same executor settings, drawn on one shared time axis.
import { buildModel } from './model.js';
import { computeLints } from './lints.js';
import { Timeline } from './timeline.js';
import { fmtElapsed } from './format.js';

export const PAIRS = {
  'sequential-join': { a: 'sequential', b: 'join', text: 'Same two sleeps. Awaited one after the other they add up; joined, the run takes as long as the longer one.' },
  'join-spawn': { a: 'join', b: 'spawn', text: 'Same concurrency, different ownership: join keeps both futures inside one task (nested rows), spawn gives each its own task (lanes).' },
  'blocking-cooperative': { a: 'blocking', b: 'cooperative', text: 'Same CPU work. Done in one poll it delays the ticker; cut into chunks with yields, the ticker keeps its rhythm.' },
};

export class CompareView {
  constructor({ elA, elB, onError }) {
    this.onError = onError;
    this.sync = false;
    const onRange = (src) => (t0, t1) => {
      if (this.sync) return;
      this.sync = true;
      (src === 'a' ? this.tlB : this.tlA).setRange(t0, t1, true);
      this.sync = false;
    };
    this.tlA = new Timeline(elA, { testid: 'timeline-a', idPrefix: 'cmpa', onRange: onRange('a') });
    this.tlB = new Timeline(elB, { testid: 'timeline-b', idPrefix: 'cmpb', onRange: onRange('b') });
  }

  // paramsFor(name) gives the params to use for an example (current values where names match).
  async run(rt, pairKey, paramsFor, threshold) {
    const pair = PAIRS[pairKey];
    const [ra, rb] = await Promise.all([rt.runExample(pair.a, paramsFor(pair.a)), rt.runExample(pair.b, paramsFor(pair.b))]);
    const ma = buildModel(ra.trace);
    const mb = buildModel(rb.trace);
    const end = Math.max(ma.end, mb.end, ra.elapsedMs || 0, rb.elapsedMs || 0);
    this.tlA.setData(ma, { lints: computeLints(ma, { thresholdMs: threshold, truncated: ra.truncated }), threshold, end });
    this.tlB.setData(mb, { lints: computeLints(mb, { thresholdMs: threshold, truncated: rb.truncated }), threshold, end });
    return { pair, ra, rb, elapsedA: fmtElapsed(ra.elapsedMs), elapsedB: fmtElapsed(rb.elapsedMs) };
  }
}
