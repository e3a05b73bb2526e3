// Types for wasync/cc: compiling a module of your own C without emscripten, with @yowasp/clang (an optional
// dependency of the package) and the package's kit (dist/cc-kit.json). docs/compiler.md describes it.
import type { URLLike } from './index.js';

/** The imported @yowasp/clang module (`import * as clang from '@yowasp/clang'`); only runLLVM is used. */
export interface ClangModule {
  runLLVM(args: string[] | null, files?: object, options?: object): Promise<object> | object | undefined;
  version?: string;
}

/** dist/cc-kit.json, parsed: the core and bridge precompiled (archives) and the headers, by repository path. */
export interface CcKit {
  format: 'wasync-cc-kit/1';
  wasync: string;
  clang: string;
  include: string[];
  compile: string[];
  coldCompile: string[];
  link: string[];
  headers: Record<string, string>;
  archives: { name: string; wholeArchive: boolean; base64: string; bytes: number }[];
  /** Precompiled headers (of wasm/examples/example.h), each for exactly one set of extra flags (`args`, EDIT_ARGS):
   * `file` where it is mounted, `covers` the headers a file may include first to use it, `deps` the names of the
   * files it was built from (a file of the user's named like one of them turns it off). Absent in older kits. */
  pch?: { file: string; header: string; args: string[]; covers: string[]; deps: string[]; base64: string; bytes: number }[];
}

export interface Diagnostic {
  /** The path as given in `files` ('main.c'), a kit header's repository path, or null for the linker's messages. */
  file: string | null;
  /** From 1; 0 when unknown (a linker message). */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'note' | 'remark';
  message: string;
}

export interface CompileOptions {
  clang: ClangModule;
  kit: CcKit;
  /** The user's files by relative path ('main.c', 'lib/util.h'); every .c is compiled and linked. */
  files: Record<string, string | Uint8Array>;
  /** Extra compiler driver flags (-D, -W..., -O...; include folders as /app/<dir>). EDIT_ARGS is the fastest. */
  args?: readonly string[];
  /** Download progress of the toolchain, in bytes (the first compile only). */
  onProgress?: (p: { doneLength: number; totalLength: number }) => void;
  /** Also register the package's standard blocking functions (count_primes, echo, fail, trap), unless the sources
   * list their own or define one of those names. Default false. */
  standardBlocking?: boolean;
}

export interface CompileResult {
  /** True when a module was linked. */
  ok: boolean;
  /** The module: createRuntime({ wasm }) runs it. */
  wasm: Uint8Array | null;
  diagnostics: Diagnostic[];
  /** The compiler's and linker's full output. */
  log: string;
  /** Milliseconds: loading the toolchain (0 once loaded), compiling, linking. */
  ms: { load: number; compile: number; link: number };
  /** The files compiled with the kit's precompiled header (the others were compiled without it). */
  pch: string[];
}

/** Compiles and links `files` against the kit. Calls on one clang module run one at a time. Rejects only for bad
 * options (TypeError) or a toolchain that cannot run; a mistake in the C is a result with ok false. */
export function compile(options: CompileOptions): Promise<CompileResult>;

/** Loads the toolchain ahead of the first compile (fetches and compiles its 105 MB once per clang module). */
export function loadToolchain(clang: ClangModule, options?: { onProgress?: CompileOptions['onProgress'] }): Promise<void>;

/** The package's dist/cc-kit.json, by URL (null where import.meta.url is not available). */
export const CC_KIT: URLLike | null;

/** Reads and checks a kit from a URL (file: in Node), or checks an already parsed one. */
export function readKit(source?: URLLike | string | CcKit): Promise<CcKit>;

export const KIT_FORMAT: 'wasync-cc-kit/1';

/** The extra flags of the fastest edit loop, ['-O0'] (the playground's): the kit carries a precompiled header for
 * them, so a file that starts with `#include "example.h"` (or fake_fetch.h, ticker.h) compiles in about half the time
 * of the kit's own flags (-O3). */
export const EDIT_ARGS: readonly string[];

/** The driver flags a user's file is compiled with: the kit's, its include folders, then `args`. */
export function userFlags(kit: CcKit, args?: readonly string[]): string[];

/** The header the first line of code of `text` includes (`#include "name"`, only comments before it), else null. */
export function leadingInclude(text: string): string | null;

/** The C of the registry compile() generates for these sources, or null if one declares its own. */
export function registrySource(sources: Record<string, string>, options?: { standardBlocking?: boolean }): string | null;

/** Diagnostics from clang's and wasm-ld's text output. */
export function parseDiagnostics(text: string, rename?: (path: string) => string): Diagnostic[];

/** `#include "../src/X"` -> `#include "X"` on the same line (the compiler's file system cannot resolve `..`). */
export function normalizeIncludes(text: string): string;
