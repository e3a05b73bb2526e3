#!/usr/bin/env python3
"""mutate.py: mutation testing of the C core (src/) against the C tests (ctest).

Enumerates the classic mutants of every function body in src/ (relational, logical, arithmetic and bitwise
operators, negated conditions, removed `!`, constants, deleted statements, replaced return values), draws a sample
with a seed, and for each one: writes it into a scratch copy of the repository, rebuilds incrementally, and runs
ctest there with a time limit of its own. A mutant is killed when the build's tests fail (or time out), survives
when they pass, and is stillborn when it does not compile (stillborn mutants are left out of the score).

Never touches the working tree: every mutant is applied in a copy under $TMPDIR, removed on exit (Ctrl-C included).
The same seed over the same sources draws the same sample. See docs/mutation-testing.md.

    python3 scripts/mutate.py --seed 7 --count 250 --workers 2     # a full run
    python3 scripts/mutate.py --list --count 20 --seed 7             # the sample, without running it
    python3 scripts/mutate.py --mutant 'channel.c:187:23:<='          # one mutant (ids are printed by runs)
"""

import argparse
import json
import os
import random
import resource
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
EQUIVALENT_FILE = ROOT / "docs" / "mutation-equivalent.txt"

# ---- reading C ---------------------------------------------------------------------------------------------------


def mask(text):
    """The text with comments and the contents of string and character literals blanked (same length, newlines
    kept), so that operators are only ever found in code."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif text[i] in "\"'":
            q, j = text[i], i + 1
            while j < n and text[j] != q and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, min(j, n))
            i = j + 1
        else:
            i += 1
    return "".join(out)


def match_close(masked, i, open_ch, close_ch):
    """Index of the bracket closing the one at i, or -1."""
    depth = 0
    for k in range(i, len(masked)):
        c = masked[k]
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return k
    return -1


TOKEN = re.compile(
    r"(?P<float>\d+\.\d*(?:[eE][-+]?\d+)?[fF]?|\d+[eE][-+]?\d+)"
    r"|(?P<num>0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*)"
    r"|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<op><<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||\+=|-=|\*=|/=|%=|&=|\|=|\^=|[-+*/%<>=!&|^~?:;,.(){}\[\]])"
)

# What each operator may become. Binary + - * & | ^ are only mutated with a space on both sides (the code is
# clang-formatted), which tells them from unary minus, dereference, pointer declarators and address-of.
ROR = {"<": ["<=", ">="], "<=": ["<", ">"], ">": [">=", "<="], ">=": [">", "<"], "==": ["!="], "!=": ["=="]}
LOR = {"&&": ["||"], "||": ["&&"]}
AOR = {"+": ["-"], "-": ["+"], "*": ["/"], "/": ["*"], "%": ["/"], "++": ["--"], "--": ["++"], "+=": ["-="],
       "-=": ["+="], "<<": [">>"], ">>": ["<<"]}
BIT = {"&": ["|"], "|": ["&"], "^": ["|"], "&=": ["|="], "|=": ["&="]}
SPACED = {"+", "-", "*", "/", "%", "&", "|", "^"}
SWAP_IDS = {"WS_READY": "WS_PENDING", "WS_PENDING": "WS_READY"}
STMT_KEYWORDS = {"return", "case", "default", "else", "if", "for", "while", "do", "switch", "typedef", "static",
                 "const", "struct", "enum", "union", "goto"}
DECL = re.compile(r"^(?:const\s+|unsigned\s+|struct\s+)*[A-Za-z_]\w*(?:\s+|\s*\*+\s*)[A-Za-z_]\w*\s*(?:=|;|\[|,)")
# Lines that only record or check: assertions, trace event sites, and what runs only while tracing.
SKIP_CALL = re.compile(r"\b(?:assert|static_assert|WS_TRACE|ws__trace_emit)\s*\(")
TRACING_IF = re.compile(r"\bif\s*\(\s*WS_TRACING\s*\(")
OBJ_DEFINE = re.compile(r"^\s*#\s*define\s+[A-Za-z_]\w*\s+(?=\S)")
# Statements that only keep the trace's bookkeeping (await points, wake links, child indexes, task numbers, the
# time events are stamped with): an assignment to one of these fields, and nothing else.
TRACE_FIELDS = ("suspend_file", "suspend_line", "wake_seq", "child_index", "serial", "trace_now")
ASSIGN = re.compile(r"(?<![=!<>+\-*/%&|^])=(?!=)")


def trace_only_statement(stripped):
    if not stripped.endswith(";") or len(ASSIGN.findall(stripped)) != 1:
        return False
    lhs = ASSIGN.split(stripped, 1)[0].strip()
    return re.search(r"(?:^|[\s.>])(" + "|".join(TRACE_FIELDS) + r")$", lhs) is not None


@dataclass
class Mutant:
    file: str      # name inside src/
    line: int      # 1-based
    col: int       # 1-based column of the replaced text
    length: int    # length of the replaced text
    repl: str      # what replaces it
    op: str        # ROR LOR AOR BIT NOT NEG CONST DEL RET
    tag: str       # short form of the change, part of the id
    original: str  # the whole original line
    status: str = ""
    seconds: float = 0.0

    @property
    def id(self):
        return f"{self.file}:{self.line}:{self.col}:{self.tag}"

    saved_key = None     # set when read back from a --json file
    saved_change = None

    @property
    def key(self):
        """Names the mutant without its line number, so lists of known-equivalent mutants survive edits elsewhere
        in the file: file | the stripped line | column in it | change."""
        if self.saved_key is not None:
            return self.saved_key
        stripped = self.original.strip()
        indent = len(self.original) - len(self.original.lstrip())
        return f"{self.file} | {stripped} | {self.col - indent} | {self.tag}"

    def mutated_line(self):
        a = self.col - 1
        return self.original[:a] + self.repl + self.original[a + self.length:]

    def describe(self):
        if self.saved_change is not None:
            return self.saved_change
        return f"{self.original.strip()}  ->  {self.mutated_line().strip()}"


def region_lines(masked, line_starts):
    """(body, skip): per line, whether its first non-blank character lies inside a function body, and whether the
    line belongs to an assertion, a trace event site or a tracing-only statement."""
    n_lines = len(line_starts)

    def line_of(pos):
        lo, hi = 0, n_lines - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    inside = bytearray(len(masked))
    stack, last = [], ""
    for i, c in enumerate(masked):
        if stack and stack[0] == "func":
            inside[i] = 1
        if c == "{":
            if not stack and last == '"':
                pass  # extern "C" { ... }: not a scope of its own
            elif not stack:
                stack.append("func" if last == ")" else "data")
            else:
                stack.append("block")
        elif c == "}":
            if stack:
                stack.pop()
            if not stack:
                inside[i] = 0
        if not c.isspace():
            last = c
    body = []
    for ln, start in enumerate(line_starts):
        end = line_starts[ln + 1] if ln + 1 < n_lines else len(masked)
        text = masked[start:end]
        first = len(text) - len(text.lstrip())
        body.append(start + first < end and bool(inside[start + first]))
    skip = [False] * n_lines
    for m in SKIP_CALL.finditer(masked):
        close = match_close(masked, m.end() - 1, "(", ")")
        for ln in range(line_of(m.start()), line_of(close if close >= 0 else m.end()) + 1):
            skip[ln] = True
    for m in TRACING_IF.finditer(masked):
        close = match_close(masked, masked.index("(", m.start()), "(", ")")
        if close < 0:
            continue
        k = close + 1
        while k < len(masked) and masked[k].isspace():
            k += 1
        end = match_close(masked, k, "{", "}") if k < len(masked) and masked[k] == "{" else masked.find(";", k)
        for ln in range(line_of(m.start()), line_of(end if end >= 0 else k) + 1):
            skip[ln] = True
    return body, skip


def const_variants(tok):
    m = re.match(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)$", tok)
    if not m:
        return []
    digits, suffix = m.groups()
    v = int(digits, 0)
    if v == 0:
        new = [1]
    elif v == 1:
        new = [0, 2]
    else:
        new = [v - 1, v + 1]
    fmt = (lambda x: hex(x)) if digits.lower().startswith("0x") else str
    return [fmt(x) + suffix for x in new]


def statement_start(masked, pos):
    """Whether a statement may start at pos: the previous code character ends a statement or opens a body."""
    k = pos - 1
    while k >= 0 and masked[k].isspace():
        k -= 1
    if k < 0:
        return True
    if masked[k] in ";{}:)":
        return True
    return masked[max(0, k - 3):k + 1] == "else" and (k < 4 or not (masked[k - 4].isalnum() or masked[k - 4] == "_"))


def mutants_of(path):
    text = path.read_text()
    masked = mask(text)
    lines = text.split("\n")
    mlines = masked.split("\n")
    line_starts, pos = [], 0
    for ln in lines:
        line_starts.append(pos)
        pos += len(ln) + 1
    body, skip = region_lines(masked, line_starts)
    out = []
    name = path.name
    in_pp = False
    for idx, (raw, m) in enumerate(zip(lines, mlines)):
        lineno = idx + 1
        pp = in_pp or m.lstrip().startswith("#")
        in_pp = pp and raw.rstrip().endswith("\\")
        if pp:
            # Only the constants of object-like #defines (sizes, limits): their value is behaviour.
            d = OBJ_DEFINE.match(m)
            if d and not raw.rstrip().endswith("\\"):
                for t in TOKEN.finditer(m, d.end()):
                    if t.lastgroup == "num":
                        for v in const_variants(t.group()):
                            out.append(Mutant(name, lineno, t.start() + 1, len(t.group()), v, "CONST", v, raw))
            continue
        if not body[idx] or skip[idx] or not m.strip() or trace_only_statement(m.strip()):
            continue
        toks = list(TOKEN.finditer(m))
        for ti, t in enumerate(toks):
            kind, s, a = t.lastgroup, t.group(), t.start()
            prev = toks[ti - 1].group() if ti else ""

            def add(repl, op, tag, start=a, length=len(s)):
                out.append(Mutant(name, lineno, start + 1, length, repl, op, tag, raw))

            if kind == "num":
                if prev == "[" and ti + 1 < len(toks) and toks[ti + 1].group() == "]" and ti >= 2 and \
                        toks[ti - 2].lastgroup == "id" and ti >= 3 and toks[ti - 3].lastgroup == "id":
                    continue  # an array declarator's size
                for v in const_variants(s):
                    add(v, "CONST", v)
            elif kind == "id":
                if s in SWAP_IDS:
                    add(SWAP_IDS[s], "CONST", SWAP_IDS[s])
                if s in ("if", "while") and ti + 1 < len(toks) and toks[ti + 1].group() == "(":
                    o = toks[ti + 1].start()
                    c = match_close(m, o, "(", ")")
                    if c > o:
                        inner = raw[o + 1:c]
                        add("(!(" + inner + "))", "NEG", "NEG", o, c - o + 1)
            elif kind == "op":
                spaced = a > 0 and m[a - 1] == " " and a + len(s) < len(m) and m[a + len(s)] == " "
                if s in SPACED and not spaced:
                    continue
                for table, op in ((ROR, "ROR"), (LOR, "LOR"), (AOR, "AOR"), (BIT, "BIT")):
                    for r in table.get(s, []):
                        add(r, op, r)
                if s == "!":
                    add("", "NOT", "NOT")
        stripped = m.strip()
        lead = len(m) - len(m.lstrip())
        # return EXPR;  ->  another value
        r = re.match(r"return\s+(.+);$", stripped)
        if r and m.count("(") == m.count(")"):
            expr = r.group(1).strip()
            new = {"WS_READY": None, "WS_PENDING": None, "NULL": None, "0": "1", "1": "0", "WS_OK": "WS_EINVAL"}.get(
                expr, "0")
            if new:
                a = lead + r.start(1)
                out.append(Mutant(name, lineno, a + 1, len(r.group(1)), new, "RET", "RET", raw))
        # delete a whole one-line statement (it becomes `;`, so an unbraced if keeps its shape)
        if stripped.endswith(";") and m.count("(") == m.count(")") and statement_start(masked, line_starts[idx] + lead):
            first = re.match(r"[A-Za-z_]\w*", stripped)
            word = first.group() if first else ""
            if word not in STMT_KEYWORDS and not DECL.match(stripped) and not stripped.startswith("(void)") \
                    and stripped != ";":
                out.append(Mutant(name, lineno, lead + 1, len(m) - lead, ";", "DEL", "DEL", raw))
    return out


def all_mutants(files):
    muts, seen = [], set()
    for f in files:
        for m in mutants_of(f):
            k = (m.file, m.line, m.mutated_line())
            if k not in seen:  # two operators can make the same change (`return 0` by CONST and by RET)
                seen.add(k)
                muts.append(m)
    return muts


# ---- running ----------------------------------------------------------------------------------------------------


class Stop(Exception):
    pass


def repo_files():
    """The files of the working tree that git knows of or would add (not the ignored build trees)."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file()]


class Worker:
    def __init__(self, n, args, log):
        self.n, self.args, self.log = n, args, log
        self.dir = Path(tempfile.mkdtemp(prefix=f"wasync-mutate{n}."))
        self.tree = self.dir / "tree"
        self.build = self.dir / "build"
        self.proc = None
        self.lock = threading.Lock()
        self.stopped = False
        self.last_ns = 0
        self.targets = []

    def run(self, cmd, limit, cpu=0):
        """Runs cmd in a process group of its own; on timeout the whole group (ctest and the test it runs) is
        killed, since a test's own TIMEOUT property would override `ctest --timeout`. `cpu`: a limit on the CPU
        seconds of each process (the kernel stops a test that loops with SIGXCPU, however loaded the machine is,
        so a slow machine does not pass for a hang). Returns (rc, output) with rc None on timeout."""

        if cpu:  # through the shell: preexec_fn is not safe with the worker threads
            cmd = ["sh", "-c", f'ulimit -S -t {max(1, int(cpu))} && exec "$@"', "sh", *cmd]
        with self.lock:
            if self.stopped:
                raise Stop()
            self.proc = subprocess.Popen(cmd, cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        try:
            out, _ = self.proc.communicate(timeout=limit)
            return self.proc.returncode, out.decode(errors="replace")
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.communicate()
            return None, ""
        finally:
            with self.lock:
                self.proc = None

    def kill(self):
        p = self.proc
        if p and p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def stop(self):
        with self.lock:
            self.stopped = True
            self.kill()

    def touch(self, path):
        # strictly increasing mtimes: the build must see every write, however fast they follow each other
        t = max(time.time_ns(), self.last_ns + 1_000_000)
        self.last_ns = t
        os.utime(path, ns=(t, t))

    def setup(self, files):
        for rel in files:
            dst = self.tree / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dst)
        gen = ["-G", "Ninja"] if shutil.which("ninja") else []
        cmd = ["cmake", "-S", str(self.tree), "-B", str(self.build), *gen, f"-DCMAKE_BUILD_TYPE={self.args.build_type}",
               "-DWASYNC_BENCH=OFF", "-DWASYNC_TESTS=ON"]
        rc, out = self.run(cmd, 300)
        if rc != 0:
            raise RuntimeError(f"configure failed:\n{out}")
        t0 = time.time()
        rc, out = self.run(["cmake", "--build", str(self.build), "-j", str(self.args.jobs)], 900)
        if rc != 0:
            raise RuntimeError(f"the unmutated tree does not build:\n{out}")
        build_s = time.time() - t0
        # From now on build only what ctest runs (the library's no-trace variant and other extras are not judged).
        rc, out = self.run(["ctest", "--test-dir", str(self.build), "--show-only=json-v1"], 60)
        if rc != 0:
            raise RuntimeError(f"ctest --show-only failed:\n{out}")
        tests = json.loads(out)["tests"]
        if self.args.tests:
            tests = [t for t in tests if re.search(self.args.tests, t["name"])]
        if self.args.exclude:
            tests = [t for t in tests if not re.search(self.args.exclude, t["name"])]
        # Tests whose command is an executable of this build name a target; others (a script run by bash, say)
        # need no target of their own beyond the library, which the test executables depend on.
        self.targets = sorted({Path(t["command"][0]).name for t in tests
                               if t.get("command") and Path(t["command"][0]).is_relative_to(self.build)})
        if not self.targets:
            raise RuntimeError("no tests selected")
        t0 = time.time()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        rc, out = self.ctest(600, 0)
        if rc != 0:
            raise RuntimeError(f"the tests fail on the unmutated tree:\n{out}")
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
        return build_s, time.time() - t0, cpu_s

    def build_targets(self, limit):
        return self.run(["cmake", "--build", str(self.build), "-j", str(self.args.jobs), "--target", *self.targets],
                        limit)

    def ctest(self, limit, cpu):
        cmd = ["ctest", "--test-dir", str(self.build), "-j", str(self.args.jobs), "--stop-on-failure"]
        if self.args.tests:
            cmd += ["-R", self.args.tests]
        if self.args.exclude:
            cmd += ["-E", self.args.exclude]
        return self.run(cmd, limit, cpu)

    def try_mutant(self, mut, original_text):
        path = self.tree / "src" / mut.file
        lines = original_text.split("\n")
        assert lines[mut.line - 1] == mut.original
        lines[mut.line - 1] = mut.mutated_line()
        t0 = time.time()
        try:
            path.write_text("\n".join(lines))
            self.touch(path)
            rc, _ = self.build_targets(self.args.build_limit)
            if rc != 0:
                mut.status = "stillborn" if rc is not None else "build-timeout"
                return
            rc, out = self.ctest(self.args.timeout, self.args.cpu_limit)
            hung = rc is None or "CPU time limit" in out or "SIGXCPU" in out
            mut.status = "timeout" if hung else ("killed" if rc != 0 else "survived")
        finally:
            path.write_text(original_text)
            self.touch(path)
            mut.seconds = time.time() - t0

    def cleanup(self):
        if not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def load_equivalent():
    keys = {}
    if EQUIVALENT_FILE.exists():
        reason = ""
        for ln in EQUIVALENT_FILE.read_text().split("\n"):
            if ln.startswith("#"):
                reason = ln.lstrip("# ").strip() or reason
            elif ln.strip():
                keys[ln.strip()] = reason
    return keys


def report(muts, equivalent, out=sys.stdout):
    files = sorted({m.file for m in muts})
    rows = []
    tot = dict(n=0, killed=0, survived=0, equivalent=0, stillborn=0)
    for f in files + [None]:
        ms = [m for m in muts if f is None or m.file == f]
        killed = sum(m.status in ("killed", "timeout") for m in ms)
        timeouts = sum(m.status == "timeout" for m in ms)
        still = sum(m.status in ("stillborn", "build-timeout") for m in ms)
        surv = [m for m in ms if m.status == "survived"]
        equiv = sum(m.key in equivalent for m in surv)
        valid = killed + len(surv)
        score = f"{100.0 * killed / valid:5.1f}%" if valid else "    -"
        nonequiv = valid - equiv
        score2 = f"{100.0 * killed / nonequiv:5.1f}%" if nonequiv else "    -"
        rows.append((f or "total", len(ms), killed, timeouts, len(surv), equiv, still, score, score2))
    print(f"\n{'file':16} {'mutants':>7} {'killed':>6} {'(hang)':>6} {'surv':>5} {'equiv':>5} {'stillb':>6} "
          f"{'score':>6} {'non-eq':>6}", file=out)
    for r in rows:
        if r[0] == "total":
            print("-" * 72, file=out)
        print(f"{r[0]:16} {r[1]:7} {r[2]:6} {r[3]:6} {r[4]:5} {r[5]:5} {r[6]:6} {r[7]:>6} {r[8]:>6}", file=out)
    print("score = killed / (mutants - stillborn); non-eq = killed / (mutants - stillborn - equivalent)", file=out)
    surv = [m for m in muts if m.status == "survived"]
    if surv:
        print("\nsurvivors (id, change; [equivalent: reason] when listed in docs/mutation-equivalent.txt):", file=out)
        for m in surv:
            eq = equivalent.get(m.key)
            print(f"  {m.id:32} {m.describe()}" + (f"   [equivalent: {eq}]" if eq is not None else ""), file=out)
            print(f"  {'':32} key: {m.key}", file=out)
    return rows


def main():
    ap = argparse.ArgumentParser(description="Mutation testing of src/ against the C tests (see "
                                             "docs/mutation-testing.md).")
    ap.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    ap.add_argument("--count", type=int, default=250, help="mutants to sample; 0: all (default 250)")
    ap.add_argument("--files", default="", help="comma-separated names in src/ to mutate (default: all .c and .h)")
    ap.add_argument("--mutant", action="append", default=[], help="run this mutant id (repeatable); no sampling")
    ap.add_argument("--list", action="store_true", help="print the sample and exit")
    ap.add_argument("--workers", type=int, default=1, help="mutants run at once, each in its own copy (default 1)")
    ap.add_argument("--jobs", type=int, default=2, help="build and ctest parallelism per worker (default 2)")
    ap.add_argument("--cpu-limit", type=float, default=0,
                    help="CPU seconds each test process may use per mutant (default: 3 x the CPU time of the "
                         "whole unmutated ctest run, at least 3)")
    ap.add_argument("--timeout", type=float, default=0,
                    help="wall seconds ctest may take per mutant before its process group is killed, a backstop "
                         "for a machine too loaded for the CPU limit to act (default: 10 x the unmutated run, "
                         "at least 60)")
    ap.add_argument("--build-limit", type=float, default=300, help="seconds a mutant's build may take")
    ap.add_argument("--time-budget", type=float, default=0,
                    help="stop starting mutants after this many seconds (0: none); the report covers those run")
    ap.add_argument("--tests", default="", help="ctest -R regex: judge with these tests only")
    ap.add_argument("--exclude", default="^layers$",
                    help="ctest -E regex: tests that cannot judge a mutant (default: the layering check, which "
                         "reads which files call which: no mutant adds a call, so it can only pass)")
    ap.add_argument("--build-type", default="Debug")
    ap.add_argument("--json", help="write every mutant and its outcome to this file")
    ap.add_argument("--keep", action="store_true", help="keep the scratch copies (their paths are printed)")
    ap.add_argument("--fail-under", type=float, default=0,
                    help="exit 1 if the non-equivalent score is below this percentage (default: never)")
    ap.add_argument("--report", metavar="JSON",
                    help="print the report of an earlier run (its --json file) again, with the equivalent mutants "
                         "listed now; nothing is run")
    args = ap.parse_args()

    if args.report:
        data = json.loads(Path(args.report).read_text())
        muts = []
        for d in data["mutants"]:
            f, line, col, tag = d["id"].split(":", 3)
            m = Mutant(f, int(line), int(col), 0, "", d["op"], tag, "", d["status"])
            m.saved_key, m.saved_change = d["key"], d["change"]
            muts.append(m)
        ran = [m for m in muts if m.status]
        report(ran, load_equivalent())
        print(f"\n{len(ran)} mutants (seed {data['seed']}, {data['date']}, {data['universe']} in the universe)")
        return 0

    names = [n for n in args.files.split(",") if n]
    files = [SRC / n for n in names] if names else sorted(SRC.glob("*.c")) + sorted(SRC.glob("*.h"))
    for f in files:
        if not f.is_file():
            ap.error(f"no such file: {f}")
    universe = all_mutants(files)
    by_id = {m.id: m for m in universe}
    if args.mutant:
        missing = [i for i in args.mutant if i not in by_id]
        if missing:
            ap.error("unknown mutant id(s): " + ", ".join(missing) + " (ids change when the source does)")
        sample = [by_id[i] for i in args.mutant]
    else:
        rng = random.Random(args.seed)
        sample = list(universe) if args.count <= 0 or args.count >= len(universe) else rng.sample(universe, args.count)
    # Grouped by file, so that a build mostly recompiles one source file.
    sample.sort(key=lambda m: (m.file.endswith(".h"), m.file, m.line, m.col, m.tag))
    print(f"mutate.py: seed {args.seed}, {len(sample)} of {len(universe)} mutants over "
          f"{', '.join(f.name for f in files) if names else 'src/*.c src/*.h'}", flush=True)
    if args.list:
        for m in sample:
            print(f"  {m.id:32} {m.op:5} {m.describe()}")
        return 0

    originals = {f.name: f.read_text() for f in files}
    workers = [Worker(k, args, None) for k in range(max(1, args.workers))]
    stop_flag = threading.Event()
    out_lock = threading.Lock()
    done = [0]
    t_start = time.time()

    def on_term(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored (nohup, &)
    interrupted = False
    try:
        copy = repo_files()
        setups = [None] * len(workers)

        def do_setup(w):
            try:
                setups[w.n] = w.setup(copy)
            except Stop:
                pass
            except Exception as e:
                print(f"mutate.py: worker {w.n}: {e}", file=sys.stderr)

        ths = [threading.Thread(target=do_setup, args=(w,), daemon=True) for w in workers]
        for t in ths:
            t.start()
        for t in ths:
            while t.is_alive():
                t.join(0.2)
        if any(s is None for s in setups):
            raise RuntimeError("set-up failed (see above)")
        build_s, test_s, cpu_s = setups[0]
        if not args.timeout:
            args.timeout = max(60.0, 10 * test_s)
        if not args.cpu_limit:
            args.cpu_limit = max(3.0, 3 * cpu_s)
        print(f"unmutated: build {build_s:.1f} s, ctest {test_s:.1f} s ({cpu_s:.1f} s CPU); per mutant: "
              f"{args.cpu_limit:.0f} CPU s per test, {args.timeout:.0f} s for ctest; {len(workers)} worker(s), "
              f"-j{args.jobs}", flush=True)
        if args.keep:
            for w in workers:
                print(f"  scratch copy: {w.dir}")

        # contiguous slices, one per worker, keep each worker on few files
        slices = [sample[k * len(sample) // len(workers):(k + 1) * len(sample) // len(workers)]
                  for k in range(len(workers))]
        errors = []

        def work(w, muts):
            try:
                for m in muts:
                    if stop_flag.is_set() or (args.time_budget and time.time() - t_start > args.time_budget):
                        return
                    w.try_mutant(m, originals[m.file])
                    with out_lock:
                        done[0] += 1
                        print(f"[{done[0]:4}/{len(sample)}] {m.status:9} {m.seconds:5.1f}s  {m.id:32} {m.describe()}",
                              flush=True)
            except Stop:
                return
            except Exception as e:  # a broken script must fail loudly, never look like a score
                errors.append(e)
                stop_flag.set()

        ths = [threading.Thread(target=work, args=(w, s), daemon=True) for w, s in zip(workers, slices)]
        for t in ths:
            t.start()
        for t in ths:
            while t.is_alive():
                t.join(0.2)
        if errors:
            raise errors[0]
    except KeyboardInterrupt:
        interrupted = True
        stop_flag.set()
        for w in workers:
            w.stop()
        print("\ninterrupted: the working tree was never modified; removing the scratch copies", file=sys.stderr)
    finally:
        stop_flag.set()
        for w in workers:
            w.stop()
        for w in workers:
            w.cleanup()

    ran = [m for m in sample if m.status]
    equivalent = load_equivalent()
    rows = report(ran, equivalent)
    print(f"\n{len(ran)} mutants in {time.time() - t_start:.0f} s (seed {args.seed}, "
          f"{time.strftime('%Y-%m-%d', time.gmtime())})")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "seed": args.seed, "count": len(sample), "universe": len(universe), "date": time.strftime("%Y-%m-%d"),
            "mutants": [dict(id=m.id, key=m.key, op=m.op, status=m.status, change=m.describe(),
                             equivalent=equivalent.get(m.key), seconds=round(m.seconds, 2)) for m in sample]},
            indent=1))
    if interrupted:
        return 130
    total = rows[-1]
    if args.fail_under and total[8].strip() != "-" and float(total[8].strip("% ")) < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `--list | head`
        sys.exit(0)
