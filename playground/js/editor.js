// editor.js: "Edit the C": the example's real source in an editor (CodeMirror, playground/dist/codemirror.js, loaded
// on first use; a plain textarea when it cannot load), compiled in the page (cc-client.js: a long-lived Worker
// with the toolchain, fetched when the user first opens the editor), run in a disposable Worker (cc-run.js: Stop
// and a watchdog), and shown by the page exactly like a built-in example's run (the hooks below, from main.js).
// The program travels in the link's hash (share-src.js).
//
// hooks (main.js):
//   current()            { name, files: [{ name, text }] }: the example shown now, its .c first
//   examples()           [{ name, title }]: the built-in examples, for the template menu
//   loadSource(file)     Promise<text> of wasm/examples/<file>
//   knobs()              the executor settings { clock, budget, slice, cap }
//   params(entry)        the compiled entry's parameters ({ name, params } as rt.examples lists them): the page
//                        shows them in its parameter form and returns { values } or { error } (a value out of range)
//   refuse(token, text)  the run did not start (a parameter value refused: text is the page's one-line message)
//   startRun()           a token; the page shows it as running
//   showRun(token, run, file)   shows a finished run (value, elapsed, trace, timeline, lints), with the edited file
//                        as the source; false if a newer run took over
//   endRun(token, error) the run ended without a result (error: a message for the page's banner)
//   note(text)           a one-line note about the link (the page's url-note banner)
import { Compiler } from './cc-client.js';
import { runProgram, prepareRun } from './cc-run.js';
import { encodeSource, decodeSource } from './share-src.js';

const $ = (s) => document.querySelector(s);
const BLANK_FILE = 'main.c';
// The blank template: the smallest program the playground runs, with printf to show the output pane.
export const BLANK = `/* Your own async C: one entry the playground runs (example = 1), with the page's parameter form. */
#include "example.h"
#include <stdio.h>

WS_ASYNC(hello, { int64_t ms; ws_sleep nap; })
{
    WS_BEGIN();
    printf("hello: sleeping %lld ms\\n", (long long)self->ms);
    ws_sleep_init(&self->nap, (uint64_t)self->ms);
    WS_AWAIT(&self->nap);                        /* Pending until the timer fires */
    printf("hello: awake\\n");
    WS_RETURN(42);
    WS_END();
}

static void hello_init(void *f, const wsx_args *args)
{
    hello *self = f;
    WS_ASYNC_INIT(hello, self);
    self->ms = args->num[0];
}

static const wsx_param hello_params[] = {
    WSX_PARAM_MS("ms", "how long to sleep (ms)", 100, 0, 60000),
};

WS_ENTRY(hello, .title = "hello: your own program", .init = hello_init, WSX_PARAMS(hello_params), .example = 1);
`;

const E = {
  hooks: null, editor: null, file: null, compiler: null, running: null, hashTimer: 0, busy: false, loaded: false,
  pristine: '', // the text the editor was last given (a template, a link): anything else is the user's edits
};

// ---------- the editor (CodeMirror, or a textarea) ----------
async function mountEditor(text) {
  const box = $('#editor');
  box.replaceChildren();
  const onChange = () => scheduleHash();
  try {
    const cm = await import('../dist/codemirror.js');
    E.editor = cm.createEditor(box, { doc: text, label: 'C source of your program', onChange });
    box.dataset.kind = 'codemirror';
  } catch (e) {
    // No bundle (not built) or an old browser: a plain textarea still edits, compiles and runs.
    const ta = document.createElement('textarea');
    Object.assign(ta, { value: text, spellcheck: false, className: 'code editor-plain' });
    ta.setAttribute('aria-label', 'C source of your program');
    ta.addEventListener('input', onChange);
    box.append(ta);
    box.dataset.kind = 'plain';
    E.editor = {
      get text() { return ta.value; },
      setText(t) { ta.value = t; },
      setDiagnostics() {},
      focus() { ta.focus(); },
    };
    status(`The editor could not load (${e.message}): plain text instead, without highlighting or markers.`);
  }
}

function setFile(name) {
  E.file = name;
  $('#editor-file').textContent = name;
}

// ---------- status and panes ----------
function status(text) { $('#compile-status').textContent = text; }
const MB = (n) => `${(n / 1e6).toFixed(1)} MB`;
function progress({ done, total }) {
  const bar = $('#cc-progress');
  bar.hidden = done >= total;
  bar.max = total;
  bar.value = Math.min(done, total);
  bar.setAttribute('aria-valuetext', `${MB(done)} of ${MB(total)}`);
  status(`Loading the compiler: ${MB(done)} of ${MB(total)}…`);
}

function showDiagnostics(diags, log) {
  const pane = $('#compile-errors');
  const shown = diags.filter((d) => d.severity === 'error' || d.severity === 'warning');
  pane.textContent = shown.length
    ? shown.map((d) => `${d.file ? `${d.file}:${d.line}:${d.column}: ` : ''}${d.severity}: ${d.message}`).join('\n')
    : (log || '').trim();
  pane.closest('.cc-pane').hidden = !pane.textContent;
  // Markers only for this file's lines (a header's or the linker's messages stay in the pane).
  E.editor?.setDiagnostics(diags.filter((d) => d.file === E.file && d.line > 0));
}

function output(stream, text) {
  const pane = $('#program-output');
  if (pane.dataset.empty) { pane.textContent = ''; delete pane.dataset.empty; }
  pane.append(stream === 'stderr' ? Object.assign(document.createElement('span'), { className: 'stderr', textContent: text }) : text);
}
function clearOutput() {
  const pane = $('#program-output');
  pane.textContent = '(nothing yet: printf writes here)';
  pane.dataset.empty = '1';
  $('#cc-output-title').textContent = 'Program output';
}

function setRunning(on) {
  E.busy = on;
  $('#compile-run').disabled = on;
  $('#compile-stop').disabled = !on;
}

// ---------- the link ----------
function scheduleHash() {
  clearTimeout(E.hashTimer);
  E.hashTimer = setTimeout(writeHash, 300);
}
async function writeHash() {
  if ($('#editor-card').hidden || !E.editor) return;
  try {
    const h = await encodeSource(E.file, E.editor.text);
    history.replaceState(null, '', `${location.pathname}${location.search}#${h}`);
  } catch (e) {
    status(`The link cannot carry this program: ${e.message}.`);
  }
}
function clearHash() {
  clearTimeout(E.hashTimer);
  if (location.hash) history.replaceState(null, '', `${location.pathname}${location.search}`);
}

// ---------- compile and run ----------
function compiler() {
  if (!E.compiler) {
    E.compiler = new Compiler({
      onProgress: progress,
      onReady: ({ ms }) => { $('#cc-progress').hidden = true; $('#editor-card').dataset.loadMs = String(Math.round(ms)); status(`Compiler loaded in ${(ms / 1000).toFixed(1)} s. Edit, then Compile & run (Ctrl/Cmd+Enter).`); },
      onError: (m) => { $('#cc-progress').hidden = true; status(`The compiler could not load: ${m}. The built-in examples still run.`); setRunning(false); },
    });
  }
  return E.compiler;
}

/** Compiles the editor's text, runs it and shows the run. Resolves when the page shows the outcome. */
export async function compileAndRun() {
  if (E.busy || !E.editor) return;
  const hooks = E.hooks;
  const source = E.editor.text;
  const file = E.file;
  setRunning(true);
  writeHash();
  const t0 = performance.now();
  status(E.compiler?.started ? 'Compiling…' : 'Loading the compiler…');
  let r;
  try {
    r = await compiler().compile({ [file]: source });
  } catch (e) {
    setRunning(false);
    status(`The compiler could not run: ${e.message}`);
    return;
  }
  const tCompiled = performance.now();
  showDiagnostics(r.diagnostics, r.ok ? '' : r.log);
  if (!r.ok) {
    setRunning(false);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    const first = errs[0];
    // Nothing ran: what is still shown (the output, the timeline) is the last run's, of the text before this edit.
    const shown = !$('#program-output').dataset.empty;
    if (shown) $('#cc-output-title').textContent = 'Program output of the last run (before this edit)';
    status(`Compile failed: ${errs.length || 1} error${errs.length > 1 ? 's' : ''}${first?.line ? `, the first on line ${first.line}` : ''}.${shown ? ' Nothing ran: the output and timeline shown are the last run\'s.' : ''}`);
    return;
  }
  clearOutput();
  status(`Compiled in ${Math.round(r.ms.compile + r.ms.link)} ms; running…`);
  const token = hooks.startRun();
  const job = runProgram(r.wasm, { knobs: hooks.knobs(), baseUrl: location.href, onOutput: output, params: hooks.params });
  E.running = job;
  let outcome;
  try {
    outcome = await job.promise;
  } catch (e) {
    outcome = { failed: e.message };
  }
  const tRan = performance.now();
  E.running = null;
  setRunning(false);
  // The next run's Worker starts loading after this run is drawn, so that it does not compete with the drawing.
  setTimeout(prepareRun, 0);
  const total = Math.round(performance.now() - t0);
  if (outcome.run) {
    await hooks.showRun(token, outcome.run, { name: file, text: source });
    const ms = Math.round(tCompiled - t0);
    status(`Compiled in ${ms} ms, ran ${outcome.run.entry}: ${outcome.run.error ? `it failed (${outcome.run.error.code || 'error'})` : 'done'}; ${total} ms in all.`);
    // The last run's costs, for bench/playground-cc.mjs: in the compiler (compile, link), to the run's result.
    Object.assign($('#editor-card').dataset, {
      totalMs: String(total), compileMs: String(Math.round(r.ms.compile)), linkMs: String(Math.round(r.ms.link)),
      compiledMs: String(Math.round(tCompiled - t0)), ranMs: String(Math.round(tRan - tCompiled)),
      runMs: String(Math.round(performance.now() - tCompiled)),
    });
  } else if (outcome.refused) {
    // As for a built-in example: the form's field is marked and the page says which value and why, nothing ran.
    hooks.refuse(token, outcome.refused);
    status(`Compiled in ${Math.round(tCompiled - t0)} ms; not run: ${outcome.refused}`);
  } else if (outcome.stopped) {
    // Its trace went with its Worker: the page has nothing new to draw.
    hooks.endRun(token, `Your program was stopped${outcome.stopped === 'watchdog' ? ' by the watchdog (a poll that never returned)' : ''}: `
      + 'it has no result, and the timeline below still shows the run before it.');
    status(outcome.message);
    output('stderr', `\n[${outcome.stopped === 'watchdog' ? 'stopped by the watchdog' : 'stopped'}]\n`);
  } else {
    hooks.endRun(token, `Your program could not run: ${outcome.failed}`);
    status(`Your program could not run: ${outcome.failed}`);
  }
}

function stop() { E.running?.stop(); }

// ---------- opening, templates ----------
async function open({ file, text, focus = true } = {}) {
  const card = $('#editor-card');
  card.hidden = false;
  if ($('#editor-template').options.length <= 2) fillTemplates(); // opened before the page knew its examples
  $('#edit-open').setAttribute('aria-expanded', 'true');
  if (file == null && E.editor) {
    // Reopened: the program as it was left (New from template starts afresh).
  } else {
    if (file == null) {
      const cur = E.hooks.current();
      file = cur.files[0]?.name || BLANK_FILE;
      text = cur.files[0]?.text ?? BLANK;
    }
    setFile(file);
    if (!E.editor) await mountEditor(text);
    else E.editor.setText(text);
    E.pristine = text;
    showDiagnostics([], '');
    clearOutput();
  }
  // The toolchain loads now, while the user reads and edits: the first compile then waits less.
  if (!E.compiler?.started) { status('Loading the compiler…'); compiler().load().catch(() => {}); }
  prepareRun();
  scheduleHash();
  if (focus) { card.scrollIntoView({ block: 'start' }); E.editor.focus(); }
}

function close() {
  stop();
  $('#editor-card').hidden = true;
  $('#edit-open').setAttribute('aria-expanded', 'false');
  clearHash();
  $('#edit-open').focus();
}

async function fromTemplate(value) {
  if (!value) return;
  if (E.editor && E.editor.text !== E.pristine && !confirm('Replace your edits with the template? They are not kept anywhere else.')) return;
  if (value === '.blank') await open({ file: BLANK_FILE, text: BLANK });
  else await open({ file: `${value}.c`, text: await E.hooks.loadSource(`${value}.c`) });
}

function fillTemplates() {
  const sel = $('#editor-template');
  sel.replaceChildren(new Option('New from template…', ''));
  for (const ex of E.hooks.examples()) sel.add(new Option(`${ex.name}.c${ex.title ? ` — ${ex.title}` : ''}`, ex.name));
  sel.add(new Option('blank program (main.c)', '.blank'));
}

/** Wires the editor into the page; restores a program from the link's hash (and starts compiling and running it). */
export async function initEditor(hooks) {
  E.hooks = hooks;
  // For tests and curious users, beside the last run (main.js): the program's text as the editor holds it.
  if (window.wasyncPlayground) Object.defineProperty(window.wasyncPlayground, 'source', { get: () => E.editor?.text ?? null });
  fillTemplates();
  $('#editor-close').onclick = close;
  $('#compile-run').onclick = () => compileAndRun();
  $('#compile-stop').onclick = stop;
  $('#editor-template').addEventListener('change', async (e) => {
    const v = e.target.value;
    e.target.value = '';
    await fromTemplate(v);
  });
  $('#editor').addEventListener('keydown', (e) => {
    // Ctrl/Cmd+Enter in the editor compiles and runs this program, not the built-in example.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); e.stopPropagation(); compileAndRun(); }
  });

  let shared;
  try {
    shared = await decodeSource(location.hash);
  } catch (e) {
    clearHash();
    hooks.note(`The link's program could not be read: ${e.message}. Showing the example instead.`);
    return;
  }
  if (!shared) return;
  await open({ ...shared, focus: false });
  compileAndRun(); // not awaited: the page is ready while the toolchain loads
}

/** The "Edit the C" button: opens the editor with the example shown, or closes it. */
export function toggle() {
  return $('#editor-card').hidden ? open() : close();
}
