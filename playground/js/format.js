// Small formatting and DOM helpers shared by the modules.
export function fmtMs(ms) {
  if (ms == null || Number.isNaN(ms)) return '–';
  const a = Math.abs(ms);
  if (a === 0) return '0 ms';
  if (a < 0.01) return `${(ms * 1000).toFixed(1)} µs`;
  if (a < 10) return `${+ms.toFixed(2)} ms`;
  if (a < 1000) return `${+ms.toFixed(1)} ms`;
  return `${+(ms / 1000).toFixed(2)} s`;
}

// Elapsed readout: whole milliseconds unless the value is small; "200 ms".
export function fmtElapsed(ms) {
  if (ms == null || Number.isNaN(ms)) return '–';
  return ms >= 10 ? `${Math.round(ms)} ms` : `${+ms.toFixed(2)} ms`;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);

export function $(sel, root = document) { return root.querySelector(sel); }
export function $$(sel, root = document) { return [...root.querySelectorAll(sel)]; }

export function fmtValue(v) {
  if (v === undefined) return '–';
  if (typeof v === 'string') return JSON.stringify(v);
  try { return JSON.stringify(v); } catch { return String(v); }
}
