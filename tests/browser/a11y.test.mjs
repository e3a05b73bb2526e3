// Accessibility (issue: the timeline as a teacher, item 6): axe-core in the page finds no serious or critical
// violation, in the light and the dark theme, on the single view (with the events table open, a lint and a long
// poll showing) and on compare (two-way and three-way); Pending and Ready polls differ by more than colour.
//   node --test --test-concurrency=1 tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startHarness, runs, waitRuns, shot } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const T = { timeout: 90_000 };
let h;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

// Serious and critical violations, as "rule: target (summary)" lines.
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} ${(n.any[0]?.message || n.failureSummary || '').slice(0, 140)}`));
}

for (const scheme of ['light', 'dark']) {
  test(`axe: no serious or critical violation, ${scheme} theme`, T, async () => {
    const { page, context } = await h.open('?example=blocking', { colorScheme: scheme });
    await page.click('#events-details summary');
    await page.locator('[data-testid=timeline] [data-testid=poll]').first().click();
    const single = await axe(page);
    await shot(page, `a11y-${scheme}-single`);
    const n = await runs(page);
    await page.click('[data-testid=compare]');
    await waitRuns(page, n + 1);
    const compare = await axe(page);
    await shot(page, `a11y-${scheme}-compare`);
    const n3 = await runs(page);
    await page.selectOption('[data-testid=compare-pair]', 'blocking-cooperative-offload');
    await waitRuns(page, n3 + 1);
    compare.push(...await axe(page));
    await shot(page, `a11y-${scheme}-compare-three`);
    const all = [...new Set([...single, ...compare].map((l) => l.replace(/div\[data-line="\d+"\]/, "div[data-line]")))];
  assert.deepEqual(all, []);
    await context.close();
  });
}

// A colour drawn at opacity `op` over `bg`, as the eye sees it.
function blend(c, bg, op = 1) {
  const a = c.match(/[\d.]+/g).map(Number);
  const b = bg.match(/[\d.]+/g).map(Number);
  const alpha = op * (a.length > 3 ? a[3] : 1);
  return `rgb(${[0, 1, 2].map((i) => Math.round(a[i] * alpha + b[i] * (1 - alpha))).join(', ')})`;
}

// WCAG contrast ratio of two CSS colours "rgb(r, g, b)".
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

for (const scheme of ['light', 'dark']) {
  test(`timeline graphics reach 3:1 and Pending differs from Ready by shape, ${scheme} theme`, T, async () => {
    const { page, context } = await h.open('?example=join&axis=time', { colorScheme: scheme });
    // Every mark's fill, or its outline where it has one, against both lane backgrounds.
    const marks = await page.evaluate(() => {
      const svg = document.querySelector('[data-testid=timeline]');
      const bgs = [...new Set([...svg.querySelectorAll('.lane-bg')].map((r) => getComputedStyle(r).fill).filter((f) => f !== 'none' && !/rgba\(0, 0, 0, 0\)/.test(f)))];
      bgs.push(getComputedStyle(svg.closest('.timeline-wrap')).backgroundColor);
      const pick = (sel) => { const el = svg.querySelector(sel); if (!el) return null; const cs = getComputedStyle(el); return { sel, fill: cs.fill, stroke: cs.stroke, sw: parseFloat(cs.strokeWidth), op: parseFloat(cs.opacity) }; };
      return { bgs, marks: ['.poll.pending', '.poll.ready', '.tbar', '.wm.w-timer', '.arrow'].map(pick).filter(Boolean) };
    });
    for (const m of marks.marks) {
      for (const bg of marks.bgs) {
        const viaFill = m.fill && m.fill !== 'none' ? contrast(blend(m.fill, bg, m.op), bg) : 0;
        const viaStroke = m.stroke && m.stroke !== 'none' && m.sw >= 1 ? contrast(blend(m.stroke, bg, m.op), bg) : 0;
        assert.ok(Math.max(viaFill, viaStroke) >= 3, `${m.sel} on ${bg}: ${viaFill.toFixed(2)} / ${viaStroke.toFixed(2)}`);
      }
    }
    // Same row, different results: Pending is drawn thinner than Ready.
    const hs = await page.$$eval('[data-testid=timeline] [data-testid=poll][data-depth="0"]', (ps) => ps.map((p) => [p.dataset.result, Number(p.getAttribute('height'))]));
    const hOf = (r) => new Set(hs.filter(([res]) => res === r).map(([, v]) => v));
    assert.ok(hOf('pending').size === 1 && hOf('ready').size === 1, JSON.stringify(hs));
    assert.ok([...hOf('pending')][0] < [...hOf('ready')][0] - 3, `pending ${[...hOf('pending')]} vs ready ${[...hOf('ready')]}`);
    await page.locator('#timeline-card').screenshot({ path: `${process.cwd()}/tests/browser/artifacts/a11y-${scheme}-graphics.png` });
    await context.close();
  });
}
