// The package's TypeScript declarations, as installed from its `npm pack` tarball: `tsc --noEmit` on strict
// projects with and without the DOM lib (and with no @types/node), through Node's and bundlers' module resolution,
// never with skipLibCheck; each deliberate misuse carries `// @ts-expect-error`, so tsc fails if one type-checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tools, packedApp, project, sh } from './setup.mjs';

let T, app, tmp;
before(async () => {
  T = await tools();
  ({ app, tmp } = await packedApp());
}, { timeout: 300_000 });
after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

const GOOD = `
import { createRuntime, Runtime, WasyncError, DEFAULT_WASM, traceToText, type TraceEvent, type ErrorCode } from 'wasync';
import { EXAMPLES_WASM } from 'wasync/examples';
import * as inline from 'wasync/inline';
import { EXAMPLES_WASM as INLINE_EXAMPLES } from 'wasync/inline/examples';
import { traceToChrome, CAUSES, type PollEvent } from 'wasync/trace';
import { compile, readKit, CC_KIT, type ClangModule, type CompileResult, type Diagnostic } from 'wasync/cc';

export async function build(clang: ClangModule, source: string): Promise<Diagnostic[]> {
  const kit = await readKit(CC_KIT ?? 'cc-kit.json');
  const r: CompileResult = await compile({ clang, kit, files: { 'main.c': source }, args: ['-DX=1'] });
  const printed: string[] = [];
  if (r.wasm) await createRuntime({ wasm: r.wasm, stdout: (t: string) => printed.push(t) });
  return r.diagnostics.filter((d) => d.file !== null && d.line > 0 && r.ms.compile >= 0 && printed.length >= 0);
}

export async function main(): Promise<number> {
  const rt: Runtime = await createRuntime({ clock: 'virtual', wasm: DEFAULT_WASM });
  rt.defineHost('double', async (arg: string) => String(2 * Number(arg)));
  const out = await rt.start<string>('host_echo', { name: 'double', arg: '21' }).promise;
  const ex = await createRuntime({ wasm: EXAMPLES_WASM });
  ex.defineHost('ctx', async (_arg: unknown, cx) => String(cx.signal.aborted), { context: true });
  await ex.start('typed_args', { a: 5n, b: 2, c: new Uint8Array([0, 255]), pick: 2 }).promise;
  await ex.start('typed_args', [{ json: [1, true] }, 1.5, 'a\\0b']).promise;
  const run = await ex.runExample('join', { a: 100, b: 200 });
  const events: TraceEvent[] = run.trace;
  const polls = events.filter((e): e is PollEvent => e.kind === 'poll').map((e) => e.future);
  const text = traceToText(events) + JSON.stringify(traceToChrome(events)) + CAUSES.join() + EXAMPLES_WASM.href;
  const err = new WasyncError('EINVAL', 'bad input', { cause: 1 });
  const code: ErrorCode = err.code;
  const inl = await inline.createRuntime({ wasm: INLINE_EXAMPLES });
  await createRuntime({ wasm: new Uint8Array(8) }).catch(() => null);
  await createRuntime({ wasm: 'https://example.com/mine.wasm' }).catch(() => null);
  return out.length + text.length + code.length + polls.length + (rt instanceof Runtime && inl instanceof inline.Runtime ? 1 : 0);
}
`;
// Only where the DOM lib declares these globals.
const DOM = `
import { createRuntime } from 'wasync';
export async function dom(module: WebAssembly.Module): Promise<void> {
  const rt = await createRuntime({ wasm: new URL('./mine.wasm', location.href) });
  await createRuntime({ wasm: module });
  rt.start('sleep', { ms: 5 }, { signal: AbortSignal.timeout(100) });
}
`;
const MISUSE = `
import { createRuntime, Runtime, WasyncError } from 'wasync';
// @ts-expect-error: wasync/trace is the trace exporters, not the runtime
import { createRuntime as notThere } from 'wasync/trace';
// @ts-expect-error: the examples module is its own entry, wasync/examples
import { EXAMPLES_WASM } from 'wasync';

export function misuse(): unknown[] {
  return [
    notThere, EXAMPLES_WASM,
    // @ts-expect-error: a number is not a module
    createRuntime({ wasm: 42 }),
    // @ts-expect-error: nor is a boolean
    createRuntime({ wasm: true }),
    // @ts-expect-error: runtimes come from createRuntime(), never from new
    new Runtime(),
    // @ts-expect-error: a WasyncError has a code
    new WasyncError(),
    // @ts-expect-error: one of the codes
    new WasyncError('ENOPE', 'x'),
    // @ts-expect-error: no such option
    createRuntime({ clok: 'virtual' }),
    // @ts-expect-error: the clock is 'virtual' or 'real'
    createRuntime({ clock: 'fast' }),
  ];
}
`;

const tsconfig = (lib, module, moduleResolution) => JSON.stringify({
  // skipLibCheck off: the package's .d.ts files are checked; TypeScript's own lib files are not (skipDefaultLibCheck).
  compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, skipDefaultLibCheck: true, target: 'es2022', lib, module, moduleResolution, types: [] },
  include: ['*.ts'],
});

// The projects are independent: tsc runs on them two at a time.
test('tsc --noEmit on strict projects', { concurrency: 2, timeout: 240_000 }, async (t) => {
  const runs = [];
  for (const [name, lib, module, resolution, files] of [
    ['ts-node-nodom', ['es2022'], 'nodenext', 'nodenext', { 'good.ts': GOOD, 'misuse.ts': MISUSE }],
    ['ts-node-dom', ['es2022', 'dom'], 'nodenext', 'nodenext', { 'good.ts': GOOD, 'misuse.ts': MISUSE, 'dom.ts': DOM }],
    ['ts-bundler-dom', ['es2022', 'dom'], 'esnext', 'bundler', { 'good.ts': GOOD, 'misuse.ts': MISUSE, 'dom.ts': DOM }],
    ['ts-bundler-nodom', ['es2022'], 'esnext', 'bundler', { 'good.ts': GOOD, 'misuse.ts': MISUSE }],
  ]) {
    runs.push(t.test(`tsc --noEmit, strict, lib ${lib.join('+')}, moduleResolution ${resolution}: the API type-checks and every misuse is refused`, async () => {
      const dir = project(app, name, { 'tsconfig.json': tsconfig(lib, module, resolution), ...files });
      const r = await sh(T.bin('tsc'), ['-p', '.'], dir, { timeout: 120_000 }).catch((e) => e);
      assert.equal(r.code ?? 0, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    }));
  }

  runs.push(t.test('the misuses are errors indeed: without their @ts-expect-error, tsc reports each one', async () => {
    const dir = project(app, 'ts-misuse-bare', {
      'tsconfig.json': tsconfig(['es2022'], 'nodenext', 'nodenext'),
      'misuse.ts': MISUSE.replace(/\/\/ @ts-expect-error.*\n/g, ''),
    });
    const r = await sh(T.bin('tsc'), ['-p', '.'], dir, { timeout: 120_000 }).catch((e) => e);
    const errors = (r.stdout ?? '').split('\n').filter((l) => /error TS\d+/.test(l));
    assert.equal(errors.length, (MISUSE.match(/@ts-expect-error/g) ?? []).length, errors.join('\n'));
  }));

  runs.push(t.test('a CommonJS TypeScript project (module nodenext: require(esm)) type-checks its imports of the package', async () => {
    const dir = project(app, 'ts-cjs', {
      'tsconfig.json': tsconfig(['es2022'], 'nodenext', 'nodenext'),
      'good.ts': GOOD,
    });
    fs.writeFileSync(`${dir}/package.json`, JSON.stringify({ name: 'ts-cjs', private: true, type: 'commonjs' }));
    const r = await sh(T.bin('tsc'), ['-p', '.'], dir, { timeout: 120_000 }).catch((e) => e);
    assert.equal(r.code ?? 0, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  }));
  await Promise.all(runs);
});
