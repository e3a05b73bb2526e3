// Trace downloads, using the package's own converters so the files match what the CLI produces.
export function download(filename, text, type) {
  const blob = new Blob([text], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function exportChrome(pkg, run, name) {
  const json = pkg.traceToChrome(run.trace);
  download(`wasync-${name}.trace.json`, JSON.stringify(json), 'application/json');
}

export function exportText(pkg, run, name) {
  download(`wasync-${name}.trace.txt`, pkg.traceToText(run.trace), 'text/plain');
}
