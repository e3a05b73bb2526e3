// codemirror.js: the playground's C editor, built from CodeMirror 6 (npm) and bundled by scripts/build-editor.mjs
// into playground/dist/codemirror.js, which the page imports only when the user opens the editor. This file is the
// only one that names CodeMirror: the page talks to the small interface below.
//
//   const ed = createEditor(parent, { doc, label, onChange })
//   ed.text / ed.setText(text)     the document
//   ed.setDiagnostics([{ line, column, severity, message }])   markers (gutter, underline, tooltip) on those lines,
//                                  scrolled so that the first error is in sight
//   ed.focus() / ed.destroy()
//
// Colours come from the page's CSS variables (classHighlighter gives tokens classes, styled in css/editor.css), so
// the light and dark themes need nothing here.
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, Decoration } from '@codemirror/view';
import { EditorState, StateField, StateEffect } from '@codemirror/state';
import { history, defaultKeymap, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, bracketMatching, indentOnInput } from '@codemirror/language';
import { cpp } from '@codemirror/lang-cpp';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { classHighlighter } from '@lezer/highlight';

// Whole-line marks for the lines with a diagnostic: a class and data-diag-line (1-based), so the line stands out
// even where the underline is one character wide, and tests can tell which line is marked.
const setLineMarks = StateEffect.define();
const lineMarks = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) if (e.is(setLineMarks)) marks = e.value;
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const SEVERITY = { error: 'error', fatal: 'error', warning: 'warning', note: 'info', remark: 'info', info: 'info' };

export function createEditor(parent, { doc = '', label = 'C source', onChange = () => {} } = {}) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        cpp(),
        syntaxHighlighting(classHighlighter),
        lintGutter(),
        lineMarks,
        EditorState.tabSize.of(4),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's rule, so a keyboard user is never trapped).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        // tabindex: the content is focusable already (contenteditable); saying so lets checkers such as axe see
        // that the scrolling region holds something a keyboard can reach.
        EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u.state.doc.toString()); }),
      ],
    }),
  });

  function setDiags(list) {
    const state = view.state;
    const docLines = state.doc.lines;
    const diags = [];
    const lines = new Map(); // line -> worst severity
    for (const d of list) {
      const n = Math.min(Math.max(1, d.line | 0 || 1), docLines);
      const line = state.doc.line(n);
      const col = Math.max(1, d.column | 0 || 1);
      const from = Math.min(line.from + col - 1, line.to);
      // One token wide where there is one, else the line's end (clang points past the last character for a
      // missing ';').
      const word = /^[\w$]+/.exec(state.doc.sliceString(from, line.to));
      const to = word ? from + word[0].length : Math.min(from + 1, line.to);
      const severity = SEVERITY[d.severity] || 'error';
      diags.push({ from, to: Math.max(to, from), severity, message: d.message, source: d.file || undefined });
      if (lines.get(n) !== 'error') lines.set(n, severity);
    }
    const marks = Decoration.set([...lines].sort((a, b) => a[0] - b[0]).map(([n, sev]) => Decoration.line({
      attributes: { class: `cm-diag-line cm-diag-${sev}`, 'data-diag-line': String(n) },
    }).range(state.doc.line(n).from)));
    // The first error in sight: after a paste or a long file the cursor may be far from it.
    const first = diags.find((d) => d.severity === 'error') || diags[0];
    const effects = [setLineMarks.of(marks), ...(first ? [EditorView.scrollIntoView(first.from, { y: 'center' })] : [])];
    view.dispatch(setDiagnostics(state, diags), { effects });
  }

  return {
    view,
    get text() { return view.state.doc.toString(); },
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      setDiags([]);
    },
    setDiagnostics: setDiags,
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}
