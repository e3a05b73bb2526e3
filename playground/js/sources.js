// The example's C source and Rust equivalent, with line numbers, light syntax colouring, and links
// between await lines and the polls that suspended there.
import { esc } from './format.js';

const cache = new Map();
export async function loadText(url) {
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then((r) => (r.ok ? r.text() : `// ${url}: ${r.status} ${r.statusText}\n`))
      .catch((e) => `// could not load ${url}: ${e.message}\n`));
  }
  return cache.get(url);
}

const C_KW = /\b(if|else|for|while|do|return|break|continue|switch|case|struct|int|void|char|const|static|unsigned|uint64_t|uint32_t|size_t|bool|let|mut|fn|async|await|use|match|loop|move|pub|impl|u32|u64|usize|Ok|Err|Some|None)\b/g;

function highlight(line) {
  // Comments and strings first; keywords and macros only in the code part.
  const cut = commentStart(line);
  const code = line.slice(0, cut);
  const com = line.slice(cut);
  const parts = code.split(/("(?:[^"\\]|\\.)*")/);
  const html = parts.map((p, i) => (i % 2 ? `<span class="str">${esc(p)}</span>`
    : esc(p).replace(C_KW, '<span class="kw">$1</span>')
      .replace(/\b(WS_[A-Z_]+|tokio::[a-z_!]+|[a-z_]+!)/g, '<span class="mac">$1</span>'))).join('');
  return html + (com ? `<span class="com">${esc(com)}</span>` : '');
}

// Index where a // or /* comment starts outside string literals (line length if none).
function commentStart(line) {
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) { if (c === '\\') i++; else if (c === '"') inStr = false; continue; }
    if (c === '"') inStr = true;
    else if (c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) return i;
  }
  return line.length;
}

export function renderSource(pre, text, { awaitLines = new Set() } = {}) {
  const lines = text.replace(/\n$/, '').split('\n');
  pre.innerHTML = lines.map((l, i) => {
    const n = i + 1;
    const isAwait = awaitLines.has(n) || /WS_AWAIT|WS_YIELD|\.await/.test(l.slice(0, commentStart(l)));
    return `<div class="ln${isAwait ? ' await' : ''}" data-line="${n}"><span class="n">${n}</span><span class="c">${highlight(l) || ' '}</span></div>`;
  }).join('');
}

// The example's own headers from `#include "x.h"` lines (fake_fetch.h, ticker.h), without the registry glue
// (example.h) and paths outside the examples directory.
export function includesOf(text) {
  return [...text.matchAll(/^\s*#\s*include\s+"([^"/]+)"/gm)].map((m) => m[1]).filter((f) => f !== 'example.h');
}

// Marks the line where the selected poll suspended and the one it resumed from.
export function markLines(pre, { suspend = null, resume = null } = {}) {
  for (const el of pre.querySelectorAll('.ln.suspend, .ln.resume')) el.classList.remove('suspend', 'resume');
  const mark = (n, cls) => {
    const el = n != null && pre.querySelector(`.ln[data-line="${n}"]`);
    if (!el) return;
    el.classList.add(cls);
    // Scroll inside the code box only; never move the page. Positions are measured against the box itself
    // (offsetTop would be relative to the nearest positioned ancestor, not the box). A hidden box has no layout.
    if (!pre.clientHeight) return;
    const box = pre.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    if (r.top < box.top + 4 || r.bottom > box.bottom - 4) pre.scrollTop += r.top - box.top - (pre.clientHeight - r.height) / 2;
  };
  mark(resume, 'resume');
  mark(suspend, 'suspend');
}
