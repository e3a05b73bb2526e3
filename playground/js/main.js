// Playground entry: wires the runtime, the form, the timeline and the side panels together.
import { $, $$, esc, fmtElapsed, fmtMs, fmtValue } from './format.js';
import { buildModel, indexOfSeq, baseName } from './model.js';
import { pollsTakeNoTime } from './axis.js';
import { renderWhy } from './why.js';
import { rustLineFor } from './rust-map.js';
import { changedKnobs, variantNote } from './explain.js';
import { bindPicker } from './picker.js';
import { computeLints, LINT_LABEL, LINT_RULES } from './lints.js';
import { Timeline, WAKE_STYLE, markerPath } from './timeline.js';
import { renderTaskConsole } from './replay.js';
import { renderExecutor } from './executor-state.js';
import { includesOf, loadText, renderSource, markLines } from './sources.js';
import { readUrlState, writeUrlState, knobsFromUrl, own, shorten, KNOB_DEFAULTS } from './state-url.js';
import { exportChrome, exportText } from './export.js';
import { renderEventTable } from './events-table.js';
import { CompareView, PAIRS, CUSTOM, SIDES, decodeVariant, presetOf } from './compare.js';
import { defaultsFor, defaultValue, renderParams, validateParams } from './params.js';

const S = {
  pkg: null, rt: null, info: { examples: {} }, examples: [], ex: null,
  knobs: { clock: 'virtual', budget: 128, slice: 4, cap: 65536 }, thr: 10,
  run: null, model: null, lints: [], idx: -1, compare: null, embed: false, runToken: 0,
  files: [], file: null, // the C files shown: the example's .c first, then the headers it includes
  // The parameter form shows the built-in example's parameters, or (form: the entry) your compiled program's;
  // builtinRaw: the example's values meanwhile; linkParams: the link's p.* for a shared program's first compile.
  form: null, builtinRaw: {}, linkParams: {},
};
let tl;
let cmp;

// ---------- errors ----------
function showError(msg) {
  const el = $('#error');
  el.innerHTML = `<button type="button" class="close" aria-label="Dismiss">✕</button>${esc(msg)}`;
  el.hidden = false;
  el.querySelector('.close').onclick = clearError;
}
// What the page did with a link it could not follow as given (a bad knob, an unknown example): stays until
// dismissed, unlike #error, which each run clears.
function showUrlNotes(notes) {
  const el = $('#url-note');
  el.replaceChildren();
  if (!notes.length) { el.hidden = true; return; }
  const close = document.createElement('button');
  Object.assign(close, { type: 'button', className: 'close', textContent: '✕', onclick: () => { el.hidden = true; } });
  close.setAttribute('aria-label', 'Dismiss');
  el.append(close, ...notes.map((n) => Object.assign(document.createElement('p'), { textContent: n })));
  el.hidden = false;
}
function clearError() { const el = $('#error'); el.hidden = true; el.textContent = ''; }
function describeError(e) { return `${e && e.code ? `${e.code}: ` : ''}${e && e.message ? e.message : String(e)}`; }

// ---------- theme ----------
function effectiveTheme() {
  return document.documentElement.dataset.theme || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}
function updateThemeButton() {
  const dark = effectiveTheme() === 'dark';
  const b = $('#theme-toggle');
  b.textContent = dark ? 'Light theme' : 'Dark theme';
  b.setAttribute('aria-label', `Switch to ${dark ? 'light' : 'dark'} theme`);
}
function toggleTheme() {
  const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try { localStorage.setItem('wasync-theme', next); } catch { /* private mode */ }
  updateThemeButton();
}

// ---------- runtime ----------
async function makeRuntime() {
  if (S.rt) { try { S.rt.close(); } catch { /* already closed */ } }
  S.rt = null;
  // The examples module: the package's default module has none. baseUrl: relative URL params (the fetch
  // example's defaults) resolve against this page. It is the package's default in a browser; passing it keeps
  // that explicit.
  S.rt = await S.pkg.createRuntime({
    clock: S.knobs.clock, budget: S.knobs.budget, sliceMs: S.knobs.slice, traceCapacity: S.knobs.cap, trace: true,
    baseUrl: location.href, wasm: S.pkg.EXAMPLES_WASM,
  });
  S.rtKnobs = { ...S.knobs };
  S.examples = orderExamples(S.rt.examples);
}

function orderExamples(list) {
  const order = S.info.order || [];
  const rank = (n) => { const i = order.indexOf(n); return i < 0 ? 1e3 : i; };
  return [...list].sort((a, b) => rank(a.name) - rank(b.name));
}

function readKnobs() {
  const num = (id, min) => {
    const s = $(id).value.trim();
    if (!/^\d+$/.test(s) || Number(s) < min) throw new Error(`${$(id).closest('label').firstChild.textContent.trim()}: expected a whole number ≥ ${min}`);
    return Number(s);
  };
  return { clock: $('#clock-mode').value, budget: num('#knob-budget', 0), slice: num('#knob-slice', 0), cap: num('#knob-capacity', 16) };
}

async function onKnobChange() {
  clearError();
  let k;
  try { k = readKnobs(); } catch (e) { showError(e.message); return; }
  S.knobs = k;
  updateVariantNote();
  // The budget and the time slice can change on a live runtime (rt.configure); the clock and the trace
  // capacity need a new one.
  const live = S.rt && !S.rt.closed && S.rtKnobs && S.rtKnobs.clock === k.clock && S.rtKnobs.cap === k.cap;
  try {
    if (live) {
      S.rt.configure({ budget: k.budget, sliceMs: k.slice });
      S.rtKnobs = { ...k };
    } else await makeRuntime();
  } catch (e) { showError(`Could not apply the executor settings: ${describeError(e)}`); return; }
  if (S.compare) runCompare(); else run();
}

// Says when the run is not the one the explanation describes (a restored link with budget 4, ...).
function updateVariantNote() {
  const note = S.ex ? variantNote(S.info.examples[S.ex.name], S.knobs) : '';
  $('#ex-variant').textContent = note;
  $('#ex-variant').hidden = !note;
  if (changedKnobs(S.knobs).length) $('#knobs').open = true;
}

// ---------- example selection ----------
async function selectExample(name, params) {
  const ex = S.examples.find((e) => e.name === name) || S.examples[0];
  S.ex = ex;
  $('#example-picker').value = ex.name;
  const info = S.info.examples[ex.name] || {};
  $('#ex-title').textContent = ex.title || ex.name;
  $('#ex-summary').textContent = info.summary || ex.description || '';
  $('#ex-explain').textContent = info.explain || (info.summary ? ex.description : '') || '';
  $('#ex-look').textContent = info.look || '';
  $('#ex-look').hidden = !info.look;
  updateVariantNote();
  $('#embed-title').textContent = ex.title || ex.name;
  renderParams($('#params'), ex, { ...defaultsFor(ex), ...(params || {}) });
  S.form = null;
  await loadSources(ex.name);
}

async function loadSources(name) {
  // The real example from the package, and the headers it includes (fake_fetch.h, ticker.h) as extra tabs.
  const main = `${name}.c`;
  const [c, rs] = await Promise.all([loadText(`/pkg/examples/${main}`), loadText(`examples/${name}.rs`)]);
  const headers = includesOf(c);
  const htexts = await Promise.all(headers.map((h) => loadText(`/pkg/examples/${h}`)));
  if (S.ex.name !== name) return;
  S.files = [{ name: main, text: c }, ...headers.map((h, i) => ({ name: h, text: htexts[i] }))];
  S.filesEdited = false;
  sourceOrigin(name, false);
  $('#src-rs-name').textContent = `${name}.rs`;
  S.rsText = rs;
  renderSource($('#code-rs'), rs);
  renderFiles();
}

// What the Source card shows: the example as shipped, or a program compiled in the page; the Rust tab keeps the
// selected example's Rust, which does not follow what the learner wrote.
function sourceOrigin(name, edited) {
  $('#src-origin').textContent = edited
    ? `Your program, as compiled; the Rust shown is the built-in example ${name}'s, not your program's.`
    : 'The real example, served from the package.';
  $('#src-rs-label').firstChild.textContent = edited ? `Rust equivalent of the built-in ${name} (not of your program) ` : 'Rust equivalent ';
}

// Shows S.files (the .c first, then its headers) as tabs in the Source card.
function renderFiles() {
  const tabs = $('#c-file-tabs');
  const box = $('#c-files');
  tabs.innerHTML = '';
  box.innerHTML = '';
  S.files.forEach((f, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'tab');
    b.id = `ctab-${i}`;
    b.dataset.file = f.name;
    b.dataset.testid = 'c-file-tab';
    b.setAttribute('aria-controls', `cfile-${i}`);
    b.title = f.edited ? `${f.name}, as you edited it` : `wasm/examples/${f.name}`;
    b.textContent = f.name;
    b.onclick = () => showFile(f.name, true);
    tabs.append(b);
    const pre = document.createElement('pre');
    pre.className = 'code';
    pre.id = i === 0 ? 'code-c' : `cfile-${i}`;
    pre.dataset.file = f.name;
    pre.dataset.testid = i === 0 ? 'source-c' : 'source-h';
    pre.setAttribute('role', 'tabpanel');
    pre.setAttribute('aria-labelledby', b.id);
    pre.tabIndex = 0;
    renderSource(pre, f.text);
    box.append(pre);
  });
  tabs.querySelector('button')?.setAttribute('aria-controls', 'code-c');
  showFile(S.files[0].name);
  updateSiteCounts();
  updateSourceMarks();
}

// Shows one C file's tab. `focus`: the user clicked it.
function showFile(name, focus = false) {
  if (!S.files.some((f) => f.name === name)) return;
  S.file = name;
  for (const b of $$('#c-file-tabs button')) {
    const on = b.dataset.file === name;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    if (on && focus) b.focus();
  }
  for (const pre of $$('#c-files pre')) pre.hidden = pre.dataset.file !== name;
}

// How many polls suspended at each line, shown on the line (title) and on the file tab.
function updateSiteCounts() {
  const counts = new Map(); // "file:line" -> n
  if (S.run) {
    for (const e of S.run.trace) {
      if (e.kind !== 'poll' || !e.site) continue;
      const k = `${baseName(e.site.file)}:${e.site.line}`;
      counts.set(k, (counts.get(k) || 0) + 1);
    }
  }
  for (const pre of $$('#c-files pre')) {
    let total = 0;
    for (const ln of pre.querySelectorAll('.ln')) {
      const n = counts.get(`${pre.dataset.file}:${ln.dataset.line}`) || 0;
      total += n;
      ln.classList.toggle('site', n > 0);
      if (n) ln.title = `${n} poll${n > 1 ? 's' : ''} suspended here: hover to highlight ${n > 1 ? 'them' : 'it'}`;
      else ln.removeAttribute('title');
    }
    const tab = $(`#c-file-tabs button[data-file="${CSS.escape(pre.dataset.file)}"]`);
    if (tab) tab.innerHTML = `${esc(pre.dataset.file)}${total ? `<span class="cnt" title="polls suspended in this file">${total}</span>` : ''}`;
  }
}

function currentParamsRaw() {
  const raw = {};
  for (const input of $$('#params input')) raw[input.name] = input.value;
  return raw;
}

// ---------- running ----------
function setBusy(b) {
  const btn = $('#run');
  btn.disabled = b;
  btn.textContent = b ? '… Running' : '▶ Run';
  $('#timeline-card').setAttribute('aria-busy', String(b));
}

async function run({ sel = null } = {}) {
  clearError();
  // The form showed your compiled program's parameters (editor.js): the built-in example runs with its own values.
  if (S.form) { renderParams($('#params'), S.ex, S.builtinRaw); S.form = null; }
  const { values, errors } = validateParams(S.ex, currentParamsRaw());
  for (const input of $$('#params input')) input.setAttribute('aria-invalid', String(errors.some((er) => er.name === input.name)));
  if (errors.length) { showError(errors.map((er) => er.message).join(' ')); markRunDone(); return; }
  const token = ++S.runToken;
  setBusy(true);
  if (S.filesEdited) await loadSources(S.ex.name); // the Source card showed an edited program (editor.js)
  try {
    const r = await S.rt.runExample(S.ex.name, values);
    if (token !== S.runToken) return;
    show(r, sel);
  } catch (e) {
    if (token !== S.runToken) return;
    // A failed run (a WasyncError: EHOST for a failed fetch, ...) carries the trace up to the failure: draw it.
    if (Array.isArray(e?.trace) && e.trace.length) {
      show({ value: undefined, elapsedMs: e.elapsedMs ?? null, trace: e.trace, truncated: e.truncated ?? null, error: e }, sel);
    } else {
      $('#value').textContent = '–';
      $('#elapsed').textContent = '–';
    }
    showError(`Run failed: ${describeError(e)}${e?.trace?.length ? ' — the timeline shows the trace up to the failure.' : ''}`);
  } finally {
    if (token === S.runToken) { setBusy(false); markRunDone(); }
  }
  syncUrl();
}

// Tests and curious users can wait on body[data-runs] and read the last run from the console.
function markRunDone() { document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1); }
window.wasyncPlayground = { get run() { return S.run; }, get lints() { return S.lints; }, get model() { return S.model; }, get compare() { return cmp?.last; } };

function show(r, sel) {
  S.run = r;
  S.model = buildModel(r.trace);
  S.exPrev = null;
  S.lints = computeLints(S.model, { thresholdMs: S.thr, truncated: r.truncated });
  $('#value').textContent = r.error ? `error ${r.error.code || ''}`.trim() : fmtValue(r.value);
  $('#elapsed').textContent = fmtElapsed(r.elapsedMs);
  $('#embed-elapsed').textContent = `elapsed ${fmtElapsed(r.elapsedMs)}`;
  $('#event-count').textContent = String(r.trace.length);
  const tr = $('#truncated');
  tr.hidden = !r.truncated;
  tr.textContent = r.truncated ? `Trace truncated: ${r.truncated}. The timeline shows the first ${r.trace.length} events; raise the trace capacity in the executor settings to see more.` : '';
  tl.setData(S.model, { lints: S.lints, threshold: S.thr, end: Math.max(S.model.end, r.elapsedMs || 0), axis: axisFor(S.model) });
  showAxis();
  renderLints();
  updateSiteCounts();
  // The replay starts at the first event, so stepping tells the run from its beginning (the end of the run is
  // one End key away).
  const idx = sel != null ? indexOfSeq(r.trace, sel) : -1;
  setCursor(idx >= 0 ? idx : 0);
}

// ---------- x axis ----------
// The user's choice (buttons, ?axis=), else event order when the run's polls take no time (the virtual clock
// without CPU work: on a time axis everything there would collapse into a few instants), else time.
function axisFor(model) { return S.axis || (pollsTakeNoTime(model) ? 'order' : 'time'); }
function showAxis() {
  for (const k of ['order', 'time']) $(`#axis-${k}`).setAttribute('aria-pressed', String(tl.axisKind === k));
}
function chooseAxis(kind) {
  S.axis = kind;
  if (S.model) tl.setAxis(kind);
  showAxis();
  syncUrl();
}

// ---------- cursor / replay ----------
function setCursor(idx) {
  const trace = S.run ? S.run.trace : [];
  if (!trace.length) { S.idx = -1; $('#step-index').textContent = '–'; return; }
  S.idx = Math.max(0, Math.min(trace.length - 1, idx));
  const e = trace[S.idx];
  tl.setCursor(e.seq);
  $('#step-index').textContent = `${S.idx + 1} / ${trace.length}`;
  $('#cursor-time').textContent = `after event #${e.seq} (${e.kind}) at ${fmtMs(e.t)}`;
  renderTaskConsole($('#task-console tbody'), S.model, S.idx);
  S.exPrev = renderExecutor($('#executor'), S.model, S.idx, S.exPrev);
  $('#executor-time').textContent = $('#cursor-time').textContent;
  showWhy(e);
  updateSourceMarks();
  if ($('#events-details').open) renderEvents();
  syncUrl();
}

function step(d) {
  if (!S.run) return;
  if (d === 'home') setCursor(0);
  else if (d === 'end') setCursor(S.run.trace.length - 1);
  else setCursor(S.idx + d);
}

function selectSeq(seq) {
  if (!S.run) return;
  const i = indexOfSeq(S.run.trace, seq);
  if (i >= 0) setCursor(i);
}

function renderEvents() {
  renderEventTable($('#event-list tbody'), $('#events-note'), S.run.trace, S.idx, selectSeq);
}

// Marks, for the event at the cursor, the line its poll suspended at and the line its task resumed from, each
// in its own file (a site such as wasm/examples/fake_fetch.h:12 maps to the fake_fetch.h tab), and shows the file.
function updateSourceMarks() {
  const pres = $$('#c-files pre');
  const clear = () => { for (const pre of pres) markLines(pre, {}); markLines($('#code-rs'), {}); };
  if (!S.model || S.idx < 0 || !S.ex) { clear(); return; }
  let e = S.run.trace[S.idx];
  if (e.kind === 'wake') e = S.model.pollForWake.get(e.seq) || e;
  if (!e || e.kind !== 'poll') { clear(); return; }
  const top = S.model.topOf.get(e.seq) || e;
  // A nested poll's own site (fake_fetch suspended in fake_fetch.h) is more precise than its task's.
  const suspend = e.site || top.site;
  const resume = S.model.resumedFrom.get(top.seq) || null;
  const target = [suspend, resume].find((s) => s && S.files.some((x) => x.name === baseName(s.file)));
  if (target) showFile(baseName(target.file)); // first, so the marked line can be scrolled to inside its box
  for (const pre of pres) {
    const f = pre.dataset.file;
    markLines(pre, {
      suspend: suspend && baseName(suspend.file) === f ? suspend.line : null,
      resume: resume && baseName(resume.file) === f ? resume.line : null,
    });
  }
  // The Rust beside it: the line that awaits the same thing.
  const map = S.info.examples?.[S.ex.name]?.rust;
  const rustOf = (site) => {
    const file = site && S.files.find((x) => x.name === baseName(site.file));
    return file ? rustLineFor(map, file.text.split('\n')[site.line - 1], S.rsText) : null;
  };
  markLines($('#code-rs'), { suspend: rustOf(suspend), resume: rustOf(resume) });
}

function showWhy(e) { renderWhy($('#why'), S.model, e, { thr: S.thr, onSelect: selectSeq }); }

// ---------- lints ----------
function renderLints() {
  const ul = $('#lints');
  if (!S.lints.length) {
    ul.innerHTML = '<li class="lints-empty">No lints: nothing in this run looks wrong.</li>';
    return;
  }
  ul.innerHTML = S.lints.map((l, i) => `<li class="lint" data-testid="lint" data-lint="${l.kind}" title="${esc(l.rule)}">`
    + `<b>${esc(LINT_LABEL[l.kind] || l.kind)}</b> · <button type="button" class="linkish" data-i="${i}">${esc(l.message)}</button>`
    + `<div class="muted" style="font-size:12px">${esc(l.rule)}</div></li>`).join('');
  for (const b of ul.querySelectorAll('button[data-i]')) b.onclick = () => selectSeq(S.lints[Number(b.dataset.i)].focus);
}

function renderLintRules() {
  $('#lint-rules').innerHTML = Object.entries(LINT_RULES)
    .map(([k, f]) => `<li><b>${esc(LINT_LABEL[k] || k)}</b>: ${esc(f(S.thr))}</li>`).join('');
}

// ---------- compare ----------
// pairKey: a preset of compare.js, or CUSTOM with the variants from a link.
async function setCompare(on, pairKey, link = {}) {
  S.compare = on ? (pairKey || S.compare || defaultPair()) : null;
  $('#compare-toggle').setAttribute('aria-pressed', String(on));
  for (const id of ['#single', '#timeline-card', '#inspect', '#tasks-card', '#executor-card', '#sources-card']) $(id).hidden = on;
  $('#events-details').closest('section').hidden = on;
  $('#compare-card').hidden = !on;
  if (on) {
    $('#compare-pair').value = S.compare;
    cmp.load(S.compare, { ...link, budget: S.knobs.budget });
    await runCompare();
  } else {
    syncUrl();
    tl.render();
  }
}

function defaultPair() {
  const n = S.ex?.name;
  return Object.keys(PAIRS).find((k) => [PAIRS[k].a, PAIRS[k].b, PAIRS[k].c].some((v) => v?.example === n)) || 'sequential-join';
}

async function runCompare() {
  clearError();
  const sides = cmp.sides();
  $('#compare-run').textContent = sides.length === 3 ? '▶ Run all three' : '▶ Run both';
  for (const x of sides) $(`#elapsed-${x}`).textContent = '…';
  try {
    const r = await cmp.run(S.rt, { threshold: S.thr, budget: S.knobs.budget, slice: S.knobs.slice, axis: S.axis });
    for (const x of sides) {
      $(`#elapsed-${x}`).textContent = r.sides[x].elapsed;
      $(`#value-${x}`).textContent = fmtValue(r.sides[x].result.value);
    }
  } catch (e) {
    for (const x of sides) {
      $(`#elapsed-${x}`).textContent = '–';
      $(`#value-${x}`).textContent = '–';
    }
    showError(`Compare failed: ${describeError(e)}`);
  }
  markRunDone();
  syncUrl();
}

// ---------- URL ----------
function syncUrl() {
  if (!S.ex) return null;
  const seq = S.run && S.idx > 0 ? S.run.trace[S.idx].seq : null;
  return writeUrlState({
    embed: S.embed, example: S.ex.name, params: currentParamsRaw(), clock: S.knobs.clock, budget: S.knobs.budget,
    slice: S.knobs.slice, cap: S.knobs.cap, thr: S.thr, compare: S.compare, sel: seq,
    ...(S.compare === CUSTOM ? cmp.link() : {}), axis: S.axis,
  });
}

// ---------- legend ----------
function renderLegend() {
  const sw = (cls, d, extra = '') => `<svg viewBox="0 0 14 14" aria-hidden="true" class="timeline"><path class="${cls}" d="${d}" ${extra}/></svg>`;
  const rect = 'M1,4h12v6h-12z';
  const items = [
    [sw('poll pending', 'M1,5h12v4h-12z'), 'poll → pending (thin)'],
    [sw('poll ready', 'M1,3h12v8h-12z'), 'poll → ready (full height)'],
    [sw('poll long', rect), `long poll (> threshold)`],
    [sw('tbar', 'M1,5h12v4h-12z'), 'timer armed → deadline'],
    [sw('tbar cancelled', 'M1,5h12v4h-12z'), 'timer dropped before it fired'],
    [sw('tbar-late', 'M1,7h12'), 'timer fired late (a poll was running)'],
    [sw('obar fetch', 'M1,5h12v4h-12z'), 'fetch in flight'],
    [sw('obar host', 'M1,5h12v4h-12z'), 'host op in flight'],
    ...Object.entries(WAKE_STYLE).map(([k, v]) => [sw(`wm w-${k}`, markerPath(v.shape, 7, 7, 4.5)), `wake: ${v.label}`]),
    [sw('drop-mark cancel', 'M3,3L11,11M11,3L3,11'), 'future dropped before ready (cancelled)'],
    [sw('drop-mark abort', 'M2,7a5,5 0 1,0 10,0a5,5 0 1,0 -10,0M3.5,10.5L10.5,3.5'), 'task aborted'],
    [sw('select-win', 'M2,7l3,3.5l6,-7'), 'select: the branch that won'],
    [sw('sem-mark', 'M3,3h8v8h-8z'), 'semaphore: waits for a permit'],
    [sw('sem-mark granted', 'M3,3h8v8h-8z'), 'semaphore: permit granted'],
    [sw('sem-mark released', 'M3,3h8v8h-8zM3,11L11,3'), 'semaphore: permit released'],
    [sw('token-mark', 'M2,7h10M7,2v10M3.5,3.5l7,7M10.5,3.5l-7,7'), 'token cancelled (arrows: the tasks it woke)'],
    [sw('cursor', 'M7,0v14', 'stroke-width="2"'), 'replay cursor'],
  ];
  $('#legend').innerHTML = items.map(([s, t]) => `<span>${s}${esc(t)}</span>`).join('');
}

// ---------- wiring ----------
function bindUi() {
  bindPicker($('#example-picker'), { hint: $('#picker-hint'), onPick: async (name) => {
    await selectExample(name);
    if (S.compare) await setCompare(true, defaultPair());
    else run();
  } });
  $('#run-form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  // Enter in a field of your compiled program's parameters runs your program with them (Compile & run), not the
  // built-in example the form's submit (▶ Run) stands for.
  $('#params').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || !S.form || !editor) return;
    e.preventDefault();
    editor.then((m) => m.compileAndRun());
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); if (S.compare) runCompare(); else run(); }
  });
  for (const id of ['#knob-budget', '#knob-slice', '#knob-capacity', '#clock-mode']) $(id).addEventListener('change', onKnobChange);
  $('#threshold').addEventListener('change', () => {
    const v = Number($('#threshold').value);
    if (!(v >= 0)) { showError('Long-poll threshold: expected a number ≥ 0'); return; }
    S.thr = v;
    if (S.model) {
      S.lints = computeLints(S.model, { thresholdMs: v, truncated: S.run.truncated });
      tl.setThreshold(v, S.lints);
      renderLints();
      renderLintRules();
      showWhy(S.run.trace[S.idx]);
    }
    syncUrl();
  });
  $('#step-back').onclick = () => step(-1);
  $('#step-forward').onclick = () => step(1);
  $('#step-home').onclick = () => step('home');
  $('#step-end').onclick = () => step('end');
  $('#zoom-in').onclick = () => tl.zoom(1.5);
  $('#zoom-out').onclick = () => tl.zoom(1 / 1.5);
  $('#zoom-fit').onclick = () => tl.fit();
  $('#axis-order').onclick = () => chooseAxis('order');
  $('#axis-time').onclick = () => chooseAxis('time');
  $('#export-chrome').onclick = () => (S.run ? exportChrome(S.pkg, S.run, S.ex.name) : showError('Run an example first.'));
  $('#export-text').onclick = () => (S.run ? exportText(S.pkg, S.run, S.ex.name) : showError('Run an example first.'));
  $('#share').onclick = async () => {
    const url = syncUrl();
    const b = $('#share');
    try { await navigator.clipboard.writeText(url); b.textContent = '✓ Copied'; } catch { b.textContent = '✓ In address bar'; }
    setTimeout(() => { b.textContent = 'Copy link'; }, 1500);
  };
  $('#theme-toggle').onclick = toggleTheme;
  $('#edit-open').onclick = () => loadEditor().then((m) => m.toggle());
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { updateThemeButton(); tl.render(); });
  $('#compare-toggle').onclick = () => setCompare(!S.compare);
  $('#compare-pair').addEventListener('change', () => setCompare(true, $('#compare-pair').value));
  $('#compare-run').onclick = runCompare;
  $('#compare-third').onclick = () => { cmp.setThird(cmp.sides().length < 3); runCompare(); };
  $('#events-details').addEventListener('toggle', () => { if ($('#events-details').open && S.run) renderEvents(); });

  // Hovering an await line marks the polls that suspended or resumed there.
  const code = $('#c-files');
  const siteFrom = (target) => {
    const ln = target.closest?.('.ln');
    const pre = ln?.closest('pre');
    tl.setSiteLine(pre?.dataset.file ?? null, ln ? Number(ln.dataset.line) : null);
  };
  code.addEventListener('mouseover', (e) => siteFrom(e.target));
  code.addEventListener('mouseleave', () => tl.setSiteLine(null, null));
  code.addEventListener('focusin', (e) => siteFrom(e.target));
  // Keyboard: arrows switch between the file tabs.
  $('#c-file-tabs').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = S.files.findIndex((f) => f.name === S.file);
    const j = (i + (e.key === 'ArrowRight' ? 1 : -1) + S.files.length) % S.files.length;
    showFile(S.files[j].name, true);
    e.preventDefault();
  });

  // Source tabs (only visible at narrow widths).
  const tabs = [['#tab-c', '#src-c'], ['#tab-rs', '#src-rs']];
  for (const [tab, panel] of tabs) {
    $(tab).onclick = () => {
      for (const [t2, p2] of tabs) {
        $(t2).setAttribute('aria-selected', String(t2 === tab));
        $(p2).classList.toggle('active', p2 === panel);
      }
    };
  }
}

async function init() {
  const url = readUrlState();
  S.embed = url.embed === '1';
  if (S.embed) document.body.classList.add('embed');
  updateThemeButton();
  renderLegend();
  renderLintRules();
  tl = new Timeline($('#timeline'), {
    onSelect: selectSeq,
    onStep: step,
    onRendered: (t) => { $('#tl-note').textContent = t.note; $('#tl-note').hidden = !t.note; },
  });
  const side = (x) => ({ pane: $(`#cmp-${x}`), timeline: $(`#timeline-${x}`), form: $(`#cmp-${x}-form`), title: $(`#cmp-${x}-title`), elapsed: $(`#elapsed-${x}`) });
  cmp = new CompareView({ ...Object.fromEntries(SIDES.map((x) => [x, side(x)])), explain: $('#compare-explain'), third: $('#compare-third') }, {
    onEdit: () => { S.compare = CUSTOM; $('#compare-pair').value = CUSTOM; $('#compare-explain').textContent = 'Your own comparison: each variant is an example with its own parameters and budget.'; syncUrl(); },
  });
  for (const [k, p] of Object.entries(PAIRS)) $('#compare-pair').add(new Option(p.label, k));
  $('#compare-pair').add(new Option('your own (edit the variants)', CUSTOM));
  bindUi();

  try {
    S.pkg = await import('./pkg.js');
  } catch (e) {
    showError(`Could not load the wasync package from /pkg/index.js: ${describeError(e)}`);
    return;
  }
  S.info = await fetch('examples/index.json').then((r) => r.json()).catch(() => ({ examples: {} }));

  // Knobs from the link; a bad value falls back to the default with a note.
  const fromUrl = knobsFromUrl(url);
  const notes = fromUrl.notes;
  S.knobs = fromUrl.knobs;
  S.thr = fromUrl.thr;
  S.axis = url.axis === 'order' || url.axis === 'time' ? url.axis : null;
  try { await makeRuntime(); } catch (e) {
    // A value out of the package's range (?slice=99999999999, ?cap=1): the defaults, rather than a dead page.
    if (!['clock', 'budget', 'slice', 'cap'].some((k) => url[k] != null)) { showError(`Could not create the runtime: ${describeError(e)}`); return; }
    notes.push(`The link's executor settings were refused (${describeError(e)}): using the defaults.`);
    const { thr, ...knobs } = KNOB_DEFAULTS;
    S.knobs = knobs;
    try { await makeRuntime(); } catch (e2) { showError(`Could not create the runtime: ${describeError(e2)}`); return; }
  }
  $('#clock-mode').value = S.knobs.clock;
  $('#knob-budget').value = S.knobs.budget;
  $('#knob-slice').value = S.knobs.slice;
  $('#knob-capacity').value = S.knobs.cap;
  $('#threshold').value = S.thr;

  const picker = $('#example-picker');
  for (const ex of S.examples) picker.add(new Option(ex.title ? `${ex.name} — ${ex.title}` : ex.name, ex.name));
  const fallback = (S.examples.find((e) => e.name === 'join') || S.examples[0]).name;
  const known = S.examples.some((e) => e.name === url.example);
  if (url.example != null && !known) notes.push(`There is no example "${shorten(url.example)}": showing ${fallback}.`);
  const start = known ? url.example : fallback;
  await selectExample(start, url.params);
  S.linkParams = { ...url.params };
  const open = new URL(location.href);
  open.searchParams.delete('embed');
  $('#embed-open').href = open.href;

  cmp.setExamples(S.examples);
  // ?compare= is a preset, custom (with ca=, cb=, cc=), or a list of two or three examples: blocking,cooperative,offload
  let list = String(url.compare ?? '').includes(',') ? url.compare.split(',').map(decodeVariant) : null;
  const unknownEx = list?.find((v) => !S.examples.some((e) => e.name === v.example));
  if (list && (list.length > 3 || unknownEx)) {
    notes.push(unknownEx ? `There is no example "${shorten(unknownEx.example)}" to compare.` : `A comparison has at most three variants, not ${list.length}.`);
    list = null;
  }
  const listPreset = list && presetOf(list);
  const compareKey = listPreset || url.compare;
  const pair = own(PAIRS, compareKey);
  const custom = url.compare === CUSTOM || (list && !listPreset);
  if (url.compare != null && !pair && !custom && !url.compare.includes(',')) notes.push(`There is no comparison "${shorten(url.compare)}" (there are ${[...Object.keys(PAIRS), CUSTOM].join(', ')}, or a list of two or three examples).`);
  showUrlNotes(notes);
  if (custom && !S.embed) {
    const [a, b, c] = list || [url.ca, url.cb, url.cc].map((v) => (v == null ? null : decodeVariant(v)));
    await setCompare(true, CUSTOM, { a: a || decodeVariant(url.ca), b: b || decodeVariant(url.cb), c: c || null });
  } else if (pair && !S.embed) await setCompare(true, compareKey);
  else await run({ sel: url.sel != null ? Number(url.sel) : null });
  if (!S.embed) loadEditor();
}

// ---------- editor (editor.js: your own C, compiled in the page) ----------
// Loaded after the first run (or when its button is pressed first), so the examples never wait for it; if it cannot
// load, they run as before.
let editor = null;
function loadEditor() {
  const hooks = {
    current: () => ({ name: S.ex?.name, files: S.files }),
    examples: () => S.examples.map((e) => ({ name: e.name, title: e.title })),
    loadSource: (file) => loadText(`/pkg/examples/${file}`),
    knobs: () => ({ ...S.knobs }),
    // The compiled entry's parameters go into the page's form. A value the user changed from its default keeps
    // (by name); the others take the program's defaults, so a default changed in the C shows after the compile.
    // A parameter the form did not show takes the link's p.<name> on the first compile of a shared program.
    params(entry) {
      const prev = S.form || S.ex;
      const raw = currentParamsRaw();
      if (!S.form) S.builtinRaw = raw;
      const vals = {};
      for (const p of entry.params) {
        const old = prev.params.find((q) => q.name === p.name && q.kind === p.kind);
        const changed = old && raw[p.name] != null && raw[p.name] !== String(defaultValue(old) ?? '');
        vals[p.name] = changed ? raw[p.name] : (!old && S.linkParams[p.name] != null ? S.linkParams[p.name] : String(defaultValue(p) ?? ''));
      }
      S.linkParams = {};
      S.form = entry;
      renderParams($('#params'), entry, vals);
      const whose = Object.assign(document.createElement('span'), { className: 'muted params-for', textContent: 'Your program:' });
      whose.dataset.testid = 'params-for';
      $('#params').prepend(whose);
      const { values, errors } = validateParams(entry, vals);
      for (const input of $$('#params input')) input.setAttribute('aria-invalid', String(errors.some((er) => er.name === input.name)));
      return errors.length ? { error: errors.map((er) => er.message).join(' ') } : { values };
    },
    refuse(token, message) {
      if (token !== S.runToken) return;
      showError(message);
      setBusy(false);
      markRunDone();
    },
    startRun() {
      clearError();
      setBusy(true);
      return ++S.runToken;
    },
    async showRun(token, r, file) {
      const headers = includesOf(file.text);
      const texts = await Promise.all(headers.map((h) => loadText(`/pkg/examples/${h}`)));
      if (token !== S.runToken) return false;
      S.files = [{ ...file, edited: true }, ...headers.map((h, i) => ({ name: h, text: texts[i] }))];
      S.filesEdited = true;
      sourceOrigin(S.ex.name, true);
      renderFiles();
      show(r, null);
      if (r.error) showError(`Run failed: ${describeError(r.error)}${r.trace.length ? ' — the timeline shows the trace up to the failure.' : ''}`);
      setBusy(false);
      markRunDone();
      return true;
    },
    endRun(token, message) {
      if (token !== S.runToken) return;
      $('#value').textContent = '–';
      $('#elapsed').textContent = '–';
      showError(message);
      setBusy(false);
      markRunDone();
    },
    note(text) {
      const el = $('#url-note');
      const notes = el.hidden ? [] : [...el.querySelectorAll('p')].map((p) => p.textContent);
      showUrlNotes([...notes, text]);
    },
  };
  editor ??= import('./editor.js').then(async (m) => { await m.initEditor(hooks); return m; });
  editor.catch((e) => { $('#edit-open').disabled = true; $('#edit-open').title = `The editor could not load: ${describeError(e)}`; });
  return editor;
}

init();
