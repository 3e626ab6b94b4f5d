#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""Mutation testing of one header's implementation half (python3 stdlib).

It makes mutants of the implementation of a header (by default the part of
include/salua/engine.h after its "#define SALUA_<NAME>_IMPL_DONE" marker,
or a line range given with --range), rebuilds only the tests that exercise
it against a temporary include directory holding the mutated copy, runs
them with a timeout and classifies each mutant:

  killed        a test failed (non-zero exit or signal)
  timeout       a test ran longer than its timeout (counted as killed)
  survived      every test passed
  compile-error the mutant does not build (not counted)
  equivalent    listed in the equivalents file (not counted), see below

Score = (killed + timeout) / (killed + timeout + survived).  Every survivor
is printed with file:line, its key and the diff.

Mutation operators (--ops, comma-separated; default all):
  ror  relational operator replaced (< <= > >= == !=)
  lcr  && <-> ||
  neg  if / while condition negated; a unary ! removed
  sdl  an expression statement, return; break; or continue; deleted
  rvr  return value replaced (true<->false, constant n -> 0 or 1, else 0)
  crp  integer constant n -> n+1 and n -> 0 (0 -> 1); true<->false;
       numeric #define values in the range
  aor  + <-> -, * <-> /, % -> /, ++ <-> --, += <-> -=, << <-> >>
  bor  binary & <-> |, ^ -> |, &= <-> |=, unary ~ removed

Mutants are numbered in file order; --sample N --seed S picks a fixed
pseudo-random subset (the same N and S always give the same mutants of the
same source), --all runs every mutant, --only ID[,ID...] chosen ones.

Tests (default): every tests/unit/test_*.c and fuzz/fuzz_*.c (replayed on
fuzz/corpus/NAME) whose source calls a salua_engine_*() function.
A test's sources are compiled once when their preprocessed text does
not depend on the range (a test that sees only the public half), else once
per mutant.  Tests run cheapest first (by their time on the unmutated
build) and a mutant stops at its first failing test.  A test that runs
past its timeout gets a second try three times as long (a loaded machine is
not a kill).  The unmutated build must pass, else the run aborts.

Equivalent mutants (tests/mutation/equivalent-<header>.txt by default) are
listed by key, one "key: ..." line each followed by "why: ..." lines; the
key names the function, the operator, the change and the source line, so
it survives line shifts.  A listed mutant that gets killed is reported as a
stale entry.
"""

import argparse
import concurrent.futures
import difflib
import glob
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# ---------------------------------------------------------------------------
# The default target: the engine and the tests that drive it.  A test is
# (name, sources relative to the root, extra -D flags, arguments).
# ---------------------------------------------------------------------------
TEST_DEFINES = ['-DSALUA_DEBUG', '-D_DEFAULT_SOURCE',
                '-DSALUA_VECTORS_DIR="{vectors}"',
                '-DSALUA_TEST_DATA_DIR="{root}/tests/data"']


def sim_dir():
    """Where the simulated array lives (it has moved once already)."""
    for p in sorted(glob.glob(os.path.join(ROOT, 'shims', '**', 'salua_sim.h'),
                              recursive=True)):
        return os.path.relpath(os.path.dirname(p), ROOT)
    raise SystemExit('mutate: shims/**/salua_sim.h not found')


SIM = sim_dir()
TEST_INCLUDES = ['tests/lib', SIM]


# A source "drives the engine" when it calls a public engine function.
ENGINE_CALL = re.compile(r'\bsalua_engine_[a-z0-9_]+\s*\(')


def drives_engine(path):
    with open(path, errors='replace') as f:
        return ENGINE_CALL.search(f.read()) is not None


def engine_tests():
    """The engine's tests: every tests/unit/test_*.c and every fuzz target
    (replayed on its corpus, fuzz/corpus/NAME) whose source calls a
    salua_engine_*() function, so a new test that drives the engine is
    picked up without editing this list.  They run cheapest first."""
    t = []
    for p in sorted(glob.glob(os.path.join(ROOT, 'tests/unit/test_*.c'))):
        if not drives_engine(p):
            continue
        name = os.path.basename(p)[len('test_'):-2]
        t.append(('unit.' + name, [os.path.relpath(p, ROOT)], [], []))
    for p in sorted(glob.glob(os.path.join(ROOT, 'fuzz/fuzz_*.c'))):
        name = os.path.basename(p)[len('fuzz_'):-2]
        corpus = os.path.join('fuzz/corpus', name)
        if not drives_engine(p) or \
                not os.path.isdir(os.path.join(ROOT, corpus)):
            continue
        t.append(('unit.fuzz_replay.' + name,
                  [os.path.relpath(p, ROOT), 'fuzz/replay.c'],
                  ['-DFUZZ_TARGET_NAME="%s"' % name], [corpus]))
    return t


# Linked into every test: the library TU and the simulated array.
COMMON_SOURCES = ['src/salua.c', SIM + '/*.c']

TYPE_WORDS = {
    'struct', 'union', 'enum', 'const', 'static', 'unsigned', 'signed',
    'int', 'char', 'short', 'long', 'bool', 'void', 'size_t', 'volatile',
    'register', 'extern', 'inline', 'typedef', 'float', 'double',
    'SALUA_INLINE', 'SALUA_API',
}
KEYWORDS = TYPE_WORDS | {
    'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default',
    'return', 'break', 'continue', 'goto', 'sizeof',
}

# ---------------------------------------------------------------------------
# Lexer
# ---------------------------------------------------------------------------
TOKEN_RE = re.compile(r'''
    (?P<ws>[ \t\r\n]+|\\\n)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<pp>^[ \t]*\#(?:[^\n\\]|\\.|\\\n)*)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<chr>'(?:[^'\\\n]|\\.)*')
  | (?P<num>(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*)
  | (?P<id>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=
          |[-+*/%&|^!~<>=?:;,.(){}\[\]])
''', re.S | re.M | re.X)


class Tok:
    __slots__ = ('kind', 'text', 'start', 'end', 'line')

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = \
            kind, text, start, end, line

    def __repr__(self):
        return 'Tok(%s,%r,%d)' % (self.kind, self.text, self.line)


def lex(src):
    toks = []
    pos = 0
    line = 1
    n = len(src)
    while pos < n:
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise SystemExit('mutate: cannot lex at line %d: %r'
                             % (line, src[pos:pos + 20]))
        kind = m.lastgroup
        text = m.group(kind)
        if kind not in ('ws', 'comment'):
            toks.append(Tok(kind, text, m.start(), m.end(), line))
        line += text.count('\n')
        pos = m.end()
    return toks


# ---------------------------------------------------------------------------
# Mutant generation
# ---------------------------------------------------------------------------
class Mutant:
    __slots__ = ('id', 'op', 'start', 'end', 'repl', 'orig', 'line', 'func',
                 'desc', 'key', 'text')

    def __init__(self, op, start, end, repl, orig, line, func, desc):
        self.op, self.start, self.end, self.repl, self.orig = \
            op, start, end, repl, orig
        self.line, self.func, self.desc = line, func, desc
        self.id = None
        self.key = None
        self.text = None


ROR = {'<': ['<=', '>='], '<=': ['<', '>'], '>': ['>=', '<='],
       '>=': ['>', '<'], '==': ['!='], '!=': ['==']}
AOR = {'+': ['-'], '-': ['+'], '*': ['/'], '/': ['*'], '%': ['/'],
       '++': ['--'], '--': ['++'], '+=': ['-='], '-=': ['+='],
       '<<': ['>>'], '>>': ['<<']}
BOR = {'&': ['|'], '|': ['&'], '^': ['|'], '&=': ['|='], '|=': ['&=']}


def find_range(src, path):
    """Lines (1-based, inclusive) of the implementation half of @src."""
    lines = src.split('\n')
    start = None
    for i, l in enumerate(lines):
        if re.match(r'\s*#\s*define\s+SALUA_\w+_IMPL_DONE\b', l):
            start = i + 2
            break
    if start is None:
        raise SystemExit('mutate: %s: no "#define SALUA_<NAME>_IMPL_DONE" '
                         'marker; give --range A:B' % path)
    end = len(lines)
    while end > start and not re.match(r'\s*#\s*endif', lines[end - 1]):
        end -= 1
    return start, end - 1


class Gen:
    def __init__(self, src, toks, lo, hi, ops):
        self.src, self.toks, self.lo, self.hi, self.ops = \
            src, toks, lo, hi, ops
        self.out = []
        self.func = '-'
        # matching brackets
        self.match = {}
        stack = []
        for i, t in enumerate(toks):
            if t.kind != 'op':
                continue
            if t.text in '([{':
                stack.append(i)
            elif t.text in ')]}':
                if stack:
                    j = stack.pop()
                    self.match[i] = j
                    self.match[j] = i

    def inrange(self, t):
        return self.lo <= t.line <= self.hi

    def add(self, op, a, b, repl, desc):
        """Replace tokens a..b (inclusive) by @repl."""
        if op not in self.ops:
            return
        ta, tb = self.toks[a], self.toks[b]
        if not (self.inrange(ta) and self.inrange(tb)):
            return
        orig = self.src[ta.start:tb.end]
        if orig == repl:
            return
        self.out.append(Mutant(op, ta.start, tb.end, repl, orig, ta.line,
                               self.func, desc))

    # -- top level ----------------------------------------------------------
    def run(self):
        toks = self.toks
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if t.kind == 'pp':
                self.define(t)
                i += 1
                continue
            if t.kind == 'op' and t.text == '{':
                j = self.match.get(i, n - 1)
                prev = toks[i - 1] if i else None
                if prev is not None and prev.text == ')':
                    k = self.match.get(i - 1)
                    name = toks[k - 1].text if k else '?'
                    self.func = name
                    self.block(i)
                    self.func = '-'
                i = j + 1
                continue
            i += 1
        return self.out

    def define(self, t):
        m = re.match(r'(\s*#\s*define\s+(\w+)\s+)(\(?)((?:0[xX][0-9a-fA-F]+'
                     r'|[0-9]+)[uUlL]*)(\)?\s*(?:/\*.*\*/)?\s*)$', t.text)
        if not m or not self.inrange(t) or 'crp' not in self.ops:
            return
        num = m.group(4)
        off = t.start + m.start(4)
        for repl in const_repls(num):
            mu = Mutant('crp', off, off + len(num), repl, num, t.line,
                        '#define ' + m.group(2), '%s -> %s' % (num, repl))
            self.out.append(mu)

    # -- statements ---------------------------------------------------------
    def block(self, i):
        """Statements of the block opened at token i; return index after."""
        end = self.match[i]
        i += 1
        while i < end:
            i = self.stmt(i, end)
        return end + 1

    def paren(self, i):
        """Condition in parens at token i: mutate, return index after )."""
        j = self.match[i]
        self.expr(i + 1, j)
        return j + 1

    def stmt(self, i, limit):
        toks = self.toks
        t = toks[i]
        x = t.text
        if t.kind == 'pp':
            return i + 1
        if x == '{':
            return self.block(i)
        if x == ';':
            return i + 1
        if x in ('if', 'while'):
            j = self.match[i + 1]
            if j > i + 2:
                self.add('neg', i + 2, j - 1,
                         '!(' + self.src[toks[i + 2].start:toks[j - 1].end]
                         + ')', 'negated %s condition' % x)
            k = self.paren(i + 1)
            if x == 'while' and toks[k].text == ';':   # do ... while (c);
                return k + 1
            k = self.stmt(k, limit)
            if x == 'if' and k < limit and toks[k].text == 'else':
                k = self.stmt(k + 1, limit)
            return k
        if x in ('for', 'switch'):
            k = self.paren(i + 1)
            return self.stmt(k, limit)
        if x == 'do':
            k = self.stmt(i + 1, limit)
            # 'while' '(' ... ')' ';'
            j = self.match[k + 1]
            self.expr(k + 2, j)
            return j + 2
        if x in ('case', 'default'):
            k = i + 1
            while toks[k].text != ':':
                k += 1
            self.expr(i + 1, k)
            return k + 1
        if x == 'else':
            return self.stmt(i + 1, limit)
        # simple statement up to ';' at depth 0
        k = i
        while toks[k].text != ';':
            if toks[k].text in '([{':
                k = self.match[k]
            k += 1
        if x == 'return':
            self.ret(i, k)
        elif x in ('break', 'continue', 'goto'):
            self.add('sdl', i, k, ';', 'deleted `%s`' % x)
        elif self.is_decl(i):
            self.decl(i, k)
        else:
            self.add('sdl', i, k, ';', 'deleted statement')
            self.expr(i, k)
        return k + 1

    def is_decl(self, i):
        t, u = self.toks[i], self.toks[i + 1]
        if t.text in TYPE_WORDS or re.match(r'\w+_t$', t.text):
            return True
        return (t.kind == 'id' and t.text not in KEYWORDS and
                (u.kind == 'id' or
                 (u.text == '*' and self.toks[i + 2].kind == 'id' and
                  self.toks[i + 3].text in ('=', ';', ',', '['))))

    def decl(self, i, k):
        """Mutate initializers only (after '=' at depth 0), not sizes."""
        j = i
        while j < k:
            if self.toks[j].text in '([{':
                j = self.match[j] + 1
                continue
            if self.toks[j].text == '=':
                e = j + 1
                while e < k and self.toks[e].text != ',':
                    if self.toks[e].text in '([{':
                        e = self.match[e]
                    e += 1
                self.expr(j + 1, e)
                j = e
                continue
            j += 1

    def ret(self, i, k):
        toks = self.toks
        if k == i + 1:
            self.add('sdl', i, k, ';', 'deleted `return;`')
            return
        a, b = i + 1, k - 1
        val = self.src[toks[a].start:toks[b].end]
        if val == 'true':
            repls = ['false']
        elif val == 'false':
            repls = ['true']
        elif re.match(r'(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$', val):
            repls = ['1'] if int(re.sub('[uUlL]', '', val), 0) == 0 else ['0']
        else:
            repls = ['0']
        for r in repls:
            self.add('rvr', a, b, r, 'return %s -> %s' % (val, r))
        self.expr(a, k)

    # -- expressions --------------------------------------------------------
    def expr(self, a, b):
        """Expression-level mutants of tokens a..b-1."""
        toks = self.toks
        for i in range(a, b):
            t = toks[i]
            x = t.text
            prev = toks[i - 1]
            binary = (prev.kind in ('id', 'num', 'str', 'chr') and
                      prev.text not in KEYWORDS) or prev.text in (')', ']')
            if t.kind == 'op':
                if x in ROR:
                    for r in ROR[x]:
                        self.add('ror', i, i, r, '%s -> %s' % (x, r))
                elif x in ('&&', '||'):
                    r = '||' if x == '&&' else '&&'
                    self.add('lcr', i, i, r, '%s -> %s' % (x, r))
                elif x == '!':
                    self.add('neg', i, i, '', 'removed !')
                elif x == '~':
                    self.add('bor', i, i, '', 'removed ~')
                elif x in ('++', '--'):
                    for r in AOR[x]:
                        self.add('aor', i, i, r, '%s -> %s' % (x, r))
                elif x in AOR and (binary or x.endswith('=')):
                    for r in AOR[x]:
                        self.add('aor', i, i, r, '%s -> %s' % (x, r))
                elif x in BOR and (binary or x.endswith('=')):
                    for r in BOR[x]:
                        self.add('bor', i, i, r, '%s -> %s' % (x, r))
            elif t.kind == 'num':
                if toks[i - 1].text == '[' and toks[i + 1].text == ']' and \
                        self.func == '-':
                    continue
                for r in const_repls(x):
                    self.add('crp', i, i, r, '%s -> %s' % (x, r))
            elif x in ('true', 'false'):
                r = 'false' if x == 'true' else 'true'
                self.add('crp', i, i, r, '%s -> %s' % (x, r))


def const_repls(num):
    m = re.match(r'(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$', num)
    body, suf = m.group(1), m.group(2)
    v = int(body, 16) if body[:2] in ('0x', '0X') else int(body, 10)
    hexa = body[:2] in ('0x', '0X')

    def fmt(x):
        return ('0x%x' % x if hexa else '%d' % x) + suf
    out = [fmt(v + 1)]
    out.append(fmt(0) if v != 0 else fmt(1))
    return [o for i, o in enumerate(out) if o not in out[:i] and o != num]


def norm(s):
    return ' '.join(s.split())


def make_mutants(src, path, lo, hi, ops):
    toks = lex(src)
    muts = Gen(src, toks, lo, hi, ops).run()
    muts.sort(key=lambda m: (m.start, m.end, m.op, m.repl))
    lines = src.split('\n')
    seen = set()
    keys = {}
    out = []
    for m in muts:
        text = src[:m.start] + m.repl + src[m.end:]
        h = hashlib.sha1(text.encode()).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        m.id = len(out)
        line = norm(lines[m.line - 1])
        base = '[%s] %s %s in `%s`' % (m.func, m.op, norm(m.desc), line)
        keys[base] = keys.get(base, 0) + 1
        m.key = base if keys[base] == 1 else '%s #%d' % (base, keys[base])
        out.append(m)
    return out


def mutant_diff(src, m, path):
    text = src[:m.start] + m.repl + src[m.end:]
    a = src.split('\n')
    b = text.split('\n')
    d = difflib.unified_diff(a, b, path, path + ' (mutant %d)' % m.id,
                             n=1, lineterm='')
    return '\n'.join(d)


# ---------------------------------------------------------------------------
# Equivalents file
# ---------------------------------------------------------------------------
def read_equivalents(path):
    eq = {}
    if not path or not os.path.exists(path):
        return eq
    key = None
    with open(path) as f:
        for raw in f:
            l = raw.rstrip('\n')
            if l.startswith('key: '):
                key = l[5:].strip()
                eq[key] = ''
            elif key and l.strip().startswith('why:'):
                eq[key] += l.strip()[4:].strip()
            elif key and l.startswith('  ') and l.strip():
                eq[key] += ' ' + l.strip()
            elif not l.strip() or l.startswith('#'):
                key = None if not l.strip() else key
    return eq


# ---------------------------------------------------------------------------
# Build and run
# ---------------------------------------------------------------------------
class Runner:
    def __init__(self, args, rel, src, lo, hi):
        self.args = args
        self.rel = rel          # target path relative to the root
        self.src = src
        self.lo, self.hi = lo, hi
        self.work = args.work or tempfile.mkdtemp(prefix='salua-mutation-')
        os.makedirs(self.work, exist_ok=True)
        self.cc = args.cc
        self.cflags = ['-std=c99', '-w', '-g0'] + args.cflags.split()
        self.inc_rel = os.path.dirname(os.path.dirname(rel))  # "include"
        self.lock = threading.Lock()
        self.free = list(range(args.jobs))

    def sh(self, cmd, timeout=None, cwd=None):
        return subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout,
                              cwd=cwd or ROOT)

    def incdir(self, slot):
        return os.path.join(self.work, 'inc%s' % slot)

    def copy_include(self, slot, text=None):
        d = self.incdir(slot)
        if os.path.exists(d):
            shutil.rmtree(d)
        shutil.copytree(os.path.join(ROOT, self.inc_rel), d)
        if text is not None:
            with open(os.path.join(d, os.path.relpath(self.rel, self.inc_rel)),
                      'w') as f:
                f.write(text)
        return d

    def target_in(self, d):
        return os.path.join(d, os.path.relpath(self.rel, self.inc_rel))

    def flags(self, inc, extra):
        f = list(self.cflags) + ['-I' + inc]
        f += ['-I' + os.path.join(ROOT, p) for p in TEST_INCLUDES]
        f += [x.format(root=ROOT, vectors=self.args.vectors_dir)
              for x in TEST_DEFINES + extra]
        return f

    def compile(self, srcfile, obj, inc, extra):
        r = self.sh([self.cc] + self.flags(inc, extra) +
                    ['-c', os.path.join(ROOT, srcfile), '-o', obj])
        return r.returncode == 0, r.stdout.decode(errors='replace')

    def setup(self):
        """Classify sources, build invariant objects, run the baseline."""
        self.tests = []
        base = self.copy_include('base')
        blank_lines = self.src.split('\n')
        for i in range(self.lo - 1, self.hi):
            blank_lines[i] = ''
        blank = self.copy_include('blank', '\n'.join(blank_lines))
        common = []
        for g in COMMON_SOURCES:
            common += sorted(os.path.relpath(p, ROOT)
                             for p in glob.glob(os.path.join(ROOT, g)))
        self.variant = {}
        self.objs = {}
        allsrc = []
        for name, srcs, extra, targs in self.args.tests:
            for s in srcs + common:
                if (s, tuple(extra)) not in allsrc:
                    allsrc.append((s, tuple(extra)))
        for s, extra in allsrc:
            outs = []
            for inc in (base, blank):
                r = self.sh([self.cc] + self.flags(inc, list(extra)) +
                            ['-E', '-P', os.path.join(ROOT, s)])
                if r.returncode != 0:
                    raise SystemExit('mutate: cannot preprocess %s:\n%s'
                                     % (s, r.stdout.decode(errors='replace')))
                outs.append(r.stdout)
            var = outs[0] != outs[1]
            self.variant[(s, extra)] = var
            if not var:
                obj = os.path.join(self.work, 'fixed',
                                   s.replace('/', '_') + '.o')
                os.makedirs(os.path.dirname(obj), exist_ok=True)
                ok, log = self.compile(s, obj, base, list(extra))
                if not ok:
                    raise SystemExit('mutate: %s does not build:\n%s' % (s, log))
                self.objs[(s, extra)] = obj
        for name, srcs, extra, targs in self.args.tests:
            self.tests.append((name, [(s, tuple(extra)) for s in srcs] +
                               [(s, ()) for s in common], targs))
        if self.args.verbose:
            for k, v in sorted(set((k[0], v) for k, v in self.variant.items())):
                print('  %-40s %s' % (k, 'per mutant' if v else 'once'))
        # baseline
        self.base_time = {}
        t0 = time.time()
        res, detail, times = self.build_and_run('base', None, baseline=True)
        if res != 'survived':
            raise SystemExit('mutate: the unmutated build fails (%s):\n%s'
                             % (res, detail))
        self.base_time = times
        # A mutant stops at its first failing test: cheapest first.
        self.tests.sort(key=lambda t: times.get(t[0], 0))
        return time.time() - t0

    def build_and_run(self, slot, text, baseline=False):
        """Return (result, detail, per-test seconds)."""
        d = self.incdir(slot)
        if text is not None:
            with open(self.target_in(d), 'w') as f:
                f.write(text)
        odir = os.path.join(self.work, 'obj%s' % slot)
        os.makedirs(odir, exist_ok=True)
        built = {}
        times = {}
        for name, srcs, targs in self.tests:
            objs = []
            for s in srcs:
                if s in self.objs:
                    objs.append(self.objs[s])
                    continue
                if s not in built:
                    obj = os.path.join(odir, s[0].replace('/', '_') +
                                       ('.%d' % len(s[1]) if s[1] else '') +
                                       '.o')
                    ok, log = self.compile(s[0], obj, d, list(s[1]))
                    if not ok:
                        return 'compile-error', log[-2000:], times
                    built[s] = obj
                objs.append(built[s])
            exe = os.path.join(odir, name)
            r = self.sh([self.cc] + objs + ['-o', exe])
            if r.returncode != 0:
                return 'compile-error', r.stdout.decode(errors='replace')[-2000:], times
            tmo = (self.args.timeout_floor if baseline else
                   max(self.args.timeout_floor,
                       self.args.timeout_factor * self.base_time.get(name, 1)))
            t0 = time.time()
            try:
                r = self.sh([exe] + targs, timeout=tmo)
            except subprocess.TimeoutExpired:
                # A hang, or a loaded machine: give it once more, 3x longer.
                try:
                    r = self.sh([exe] + targs, timeout=3 * tmo)
                except subprocess.TimeoutExpired:
                    return 'timeout', '%s: over %.1f s, then over %.1f s' % (
                        name, tmo, 3 * tmo), times
            times[name] = time.time() - t0
            if r.returncode != 0:
                out = r.stdout.decode(errors='replace')
                return 'killed', '%s: exit %d\n%s' % (
                    name, r.returncode, '\n'.join(out.splitlines()[:5])), times
        return 'survived', '', times

    def run_mutant(self, m):
        with self.lock:
            slot = self.free.pop()
        try:
            if not os.path.exists(self.incdir(slot)):
                self.copy_include(slot)
            text = self.src[:m.start] + m.repl + self.src[m.end:]
            t0 = time.time()
            res, detail, _ = self.build_and_run(slot, text)
            return m, res, detail, time.time() - t0
        finally:
            with self.lock:
                self.free.append(slot)


def parse_test(spec):
    # name=src[,src...][:arg ...]
    name, rest = spec.split('=', 1)
    srcs, _, targs = rest.partition(':')
    return (name, srcs.split(','), [], targs.split() if targs else [])


def main():
    ap = argparse.ArgumentParser(
        description='Mutation testing of a header\'s implementation half.',
        epilog='Example: %(prog)s --sample 200 --seed 1 --min-score 95')
    ap.add_argument('--file', default='include/salua/engine.h',
                    help='header to mutate, relative to the repository root')
    ap.add_argument('--range', help='A:B, 1-based inclusive lines to mutate '
                    '(default: after the SALUA_<NAME>_IMPL_DONE marker)')
    g = ap.add_mutually_exclusive_group()
    g.add_argument('--all', action='store_true', help='every mutant')
    g.add_argument('--sample', type=int, default=200,
                   help='mutants to draw (default 200)')
    g.add_argument('--only', help='comma-separated mutant ids')
    ap.add_argument('--seed', type=int, default=1, help='sampling seed')
    ap.add_argument('--ops', default='ror,lcr,neg,sdl,rvr,crp,aor,bor')
    ap.add_argument('--jobs', '-j', type=int, default=2)
    ap.add_argument('--cc', default=os.environ.get('CC', 'gcc'))
    ap.add_argument('--cflags', default='-O0',
                    help='extra compiler flags (default -O0)')
    ap.add_argument('--timeout-factor', type=float, default=10.0,
                    help='per test: factor x its unmutated time')
    ap.add_argument('--timeout-floor', type=float, default=3.0,
                    help='per test: at least this many seconds')
    ap.add_argument('--vectors-dir', default=os.path.join(
                        os.path.dirname(ROOT), 'shared', 'vectors'),
                    help='the tests\' SALUA_VECTORS_DIR (CMake\'s cache '
                    'variable; default ROOT/../shared/vectors)')
    ap.add_argument('--test', action='append', metavar='NAME=SRC[,SRC]:ARGS',
                    help='a test to run (repeatable; default: the engine tests)')
    ap.add_argument('--equivalent', help='equivalents file (default '
                    'tests/mutation/equivalent-<header>.txt)')
    ap.add_argument('--min-score', type=float,
                    help='exit 1 when the score (%%) is below this')
    ap.add_argument('--list', action='store_true',
                    help='list the mutants and exit')
    ap.add_argument('--json', help='write every result to this file')
    ap.add_argument('--work', help='work directory (default: a temp dir, '
                    'removed at the end)')
    ap.add_argument('--keep', action='store_true', help='keep the work dir')
    ap.add_argument('--verbose', '-v', action='store_true')
    args = ap.parse_args()
    # SIGTERM (ctest's timeout, kill) still removes the work directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    args.tests = [parse_test(t) for t in args.test] if args.test else \
        engine_tests()
    rel = args.file
    path = os.path.join(ROOT, rel)
    with open(path) as f:
        src = f.read()
    if args.range:
        lo, hi = (int(x) for x in args.range.split(':'))
    else:
        lo, hi = find_range(src, rel)
    ops = set(args.ops.split(','))
    muts = make_mutants(src, rel, lo, hi, ops)
    if args.equivalent is None:
        args.equivalent = os.path.join(
            HERE, 'equivalent-%s.txt' % os.path.splitext(
                os.path.basename(rel))[0])
    eq = read_equivalents(args.equivalent)
    keys = {m.key for m in muts}
    for k, why in sorted(eq.items()):
        if not why:
            raise SystemExit('mutate: %s: no "why:" for %s'
                             % (args.equivalent, k))
        if k not in keys:
            print('mutate: note: equivalents entry matches no mutant '
                  '(line edited?): %s' % k)

    if args.all:
        chosen = list(muts)
    elif args.only:
        ids = {int(x) for x in args.only.split(',')}
        chosen = [m for m in muts if m.id in ids]
    else:
        n = min(args.sample, len(muts))
        chosen = sorted(random.Random(args.seed).sample(muts, n),
                        key=lambda m: m.id)

    if args.list:
        for m in chosen:
            print('%5d %s:%d %s' % (m.id, rel, m.line, m.key))
        return 0

    per_op = {}
    for m in muts:
        per_op[m.op] = per_op.get(m.op, 0) + 1
    print('mutate: %s lines %d-%d: %d mutants (%s); running %d, seed %d, '
          '%d jobs' % (rel, lo, hi, len(muts),
                       ' '.join('%s %d' % kv for kv in sorted(per_op.items())),
                       len(chosen), args.seed, args.jobs))
    sys.stdout.flush()
    runner = Runner(args, rel, src, lo, hi)
    t_start = time.time()
    try:
        tb = runner.setup()
        print('mutate: baseline passes (%.1f s: %s)' % (
            tb, ', '.join('%s %.2f s' % kv for kv in runner.base_time.items())))
        sys.stdout.flush()
        results = []
        todo = [m for m in chosen if m.key not in eq]
        skipped_eq = [m for m in chosen if m.key in eq]
        stale = []
        # Listed equivalents are run too (with --all) so stale entries show.
        run_list = todo + (skipped_eq if args.all else [])
        done = 0
        ex = concurrent.futures.ThreadPoolExecutor(args.jobs)
        try:
            for m, res, detail, dt in ex.map(runner.run_mutant, run_list):
                done += 1
                if m.key in eq:
                    if res in ('killed', 'timeout'):
                        stale.append((m, res, detail))
                    res = 'equivalent'
                results.append((m, res, detail, dt))
                if args.verbose:
                    print('  [%d/%d] %5d %-13s %.1fs %s:%d %s' % (
                        done, len(run_list), m.id, res, dt, rel, m.line,
                        m.key))
                    sys.stdout.flush()
        finally:
            # Interrupted: the mutants not started are dropped.
            ex.shutdown(wait=True, cancel_futures=True)
        for m in skipped_eq:
            if not args.all:
                results.append((m, 'equivalent', '', 0.0))
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(runner.work, ignore_errors=True)
    wall = time.time() - t_start

    count = {}
    for _, res, _, _ in results:
        count[res] = count.get(res, 0) + 1
    killed = count.get('killed', 0) + count.get('timeout', 0)
    surv = count.get('survived', 0)
    denom = killed + surv
    score = 100.0 * killed / denom if denom else 100.0
    results.sort(key=lambda r: r[0].id)
    for m, res, detail, _ in results:
        if res == 'survived':
            print('\nSURVIVED mutant %d  %s:%d  [%s]' % (m.id, rel, m.line,
                                                          m.op))
            print('key: %s' % m.key)
            print(mutant_diff(src, m, rel))
    for m, res, detail in stale:
        print('\nSTALE equivalent entry (mutant %d %s): %s\n  %s' % (
            m.id, res, m.key, detail.splitlines()[0] if detail else ''))
    print('\nmutate: %d mutants run in %.0f s: %d killed (%d by timeout), '
          '%d survived, %d equivalent, %d compile errors' % (
              len(results), wall, killed, count.get('timeout', 0), surv,
              count.get('equivalent', 0), count.get('compile-error', 0)))
    print('mutate: score %.1f %% (%d of %d non-equivalent mutants killed)'
          % (score, killed, denom))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'file': rel, 'range': [lo, hi], 'total': len(muts),
                       'seed': args.seed, 'score': score, 'wall_s': wall,
                       'results': [{'id': m.id, 'op': m.op, 'line': m.line,
                                    'key': m.key, 'result': res,
                                    'detail': detail, 'seconds': round(dt, 2)}
                                   for m, res, detail, dt in results]},
                      f, indent=1)
    if args.min_score is not None and score < args.min_score:
        print('mutate: FAIL: score %.1f %% is below %.1f %%'
              % (score, args.min_score))
        return 1
    if stale:
        print('mutate: FAIL: %d stale equivalent entries' % len(stale))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
