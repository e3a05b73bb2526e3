// The Rust line that matches a C await point. examples/index.json gives, per example, the awaited expression of
// each C await (the text inside WS_AWAIT(...), or WS_YIELD) and a piece of the Rust line that awaits the same
// thing; matching by text rather than by line number keeps the map right when either file is edited.

// The awaited expression on a C line ("&self->ha" for `WS_AWAIT(&self->ha);`), or null.
export function awaitExpr(cLine) {
  const code = String(cLine || '').replace(/\/\*.*?\*\/|\/\/.*$/g, '');
  const m = /WS_AWAIT\(\s*([^)]*?)\s*\)/.exec(code);
  if (m) return m[1];
  return /\bWS_YIELD\b/.test(code) ? 'WS_YIELD' : null;
}

// The 1-based Rust line for a C line, or null when the example's map does not name it.
export function rustLineFor(map, cLine, rustText) {
  const expr = awaitExpr(cLine);
  const needle = expr && map ? map[expr] : null;
  if (!needle) return null;
  const i = String(rustText || '').split('\n').findIndex((l) => l.includes(needle));
  return i < 0 ? null : i + 1;
}
