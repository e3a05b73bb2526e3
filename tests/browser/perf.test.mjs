// Large traces (issue: the timeline as a teacher, item 5): the channel example with 1000 messages (10 000+ events)
// and the cooperative example at its largest (1000 items, 1000 ticks: CPU work, 7 500 events), on both axes. Measured and reported, not asserted (speed is not a test's business): the time of a zoom
// step (click to the next frame) and the frame times while scrolling the page and wheel-zooming the timeline.
// Wall-clock figures follow the machine's load; the CPU time the page's main thread spent (from a Chromium trace:
// its tasks' thread time) per zoom step and per wheel event does much less, so both are reported.
// The figures print to the test log and go to tests/browser/artifacts/perf.json.
//   node --test --test-concurrency=1 tests/browser/perf.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startHarness, ARTIFACTS } from './harness.mjs';

const T = { timeout: 180_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

// The thread time of the renderer's main thread's tasks in a Chromium trace, in ms.
function mainThreadCpuMs(buf) {
  const ev = JSON.parse(buf.toString()).traceEvents;
  const main = ev.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let us = 0;
  for (const e of ev) if (main && e.ph === 'X' && e.name === 'RunTask' && e.pid === main.pid && e.tid === main.tid) us += e.tdur || 0;
  return us / 1000;
}
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };
const round = (x) => Math.round(x * 10) / 10;

const SCENARIOS = {
  channel: { query: '?example=channel&p.count=1000&p.capacity=2&p.work=20', min: 10000 },
  cooperative: { query: '?example=cooperative&p.items=1000&p.unit=2&p.ticks=1000&p.tick=2', min: 7000 },
};
const all = {};
after(async () => {
  // The machine's load matters more than anything here: it is part of the report.
  all.loadavg = os.loadavg().map((x) => round(x));
  all.cpus = os.cpus().length;
  console.log(`perf: ${JSON.stringify(all)}`);
  await fs.writeFile(path.join(ARTIFACTS, 'perf.json'), `${JSON.stringify(all, null, 2)}\n`);
});

for (const [name, sc] of Object.entries(SCENARIOS)) test(`${name}: zoom step and frame times on a large trace, reported`, T, async () => {
  const { page, context, errors } = await h.open(sc.query, { width: 1280, height: 900 });
  const events = await page.evaluate(() => window.wasyncPlayground.run.trace.length);
  assert.ok(events >= sc.min, `trace has ${events} events`);
  const report = { events, axes: {} };
  all[name] = report;
  for (const axis of ['time', 'order']) {
    await page.click(`[data-testid=axis-${axis}]`);
    // Zoom steps: in eight times, out eight times, each from the click to the frame after it was drawn.
    await h.browser.startTracing(page, { categories: CATEGORIES });
    const steps = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const out = [];
      for (const id of [...Array(8).fill('zoom-in'), ...Array(8).fill('zoom-out')]) {
        const t0 = performance.now();
        document.getElementById(id).click();
        await frame();
        out.push(performance.now() - t0);
      }
      return out;
    });
    const zoomCpu = mainThreadCpuMs(await h.browser.stopTracing()) / steps.length;
    // Frames while the page scrolls over the timeline, and while the focused timeline wheel-zooms.
    const frames = async (fn) => {
      await page.evaluate(() => {
        window.__frames = [];
        let last = performance.now();
        const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frames.length < 100000) window.__raf = requestAnimationFrame(tick); };
        window.__raf = requestAnimationFrame(tick);
      });
      await fn();
      return page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__frames.slice(1); });
    };
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    const box = await page.locator('[data-testid=timeline]').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const scroll = await frames(async () => {
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? 60 : -60);
    });
    await page.focus('[data-testid=timeline]');
    await h.browser.startTracing(page, { categories: CATEGORIES });
    const wheelZoom = await frames(async () => {
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? -80 : 80);
    });
    const wheelCpu = mainThreadCpuMs(await h.browser.stopTracing()) / 30;
    report.axes[axis] = {
      zoomStepMs: { p50: round(pct(steps, 0.5)), max: round(Math.max(...steps)) },
      scrollFrameMs: { p95: round(pct(scroll, 0.95)), frames: scroll.length },
      wheelZoomFrameMs: { p95: round(pct(wheelZoom, 0.95)), frames: wheelZoom.length },
      cpuMs: { perZoomStep: round(zoomCpu), perWheelEvent: round(wheelCpu) },
    };
  }
  assert.deepEqual(errors, []);
  await context.close();
});
