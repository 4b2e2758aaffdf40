/**
 * Conformance of our Puppet parser against Puppet itself, over the Debian puppet-module-* corpus
 * (fetched by bench/puppet-corpus.sh into .corpus/).
 *
 *  1. Acceptance: `puppet parser validate` versus `parsePuppet()` on every .pp file. Target: no file that
 *     Puppet accepts is rejected by us.
 *  2. Extraction: `puppet parser dump --format json` (Puppet's PN model as JSON) versus our AST, comparing
 *     resource declarations (type, form, title, attribute names, operators and values) and class/define
 *     parameter defaults, on every file both accept.
 *
 * Puppet's answers are cached in .corpus/puppet-cache/ by content hash, so re-runs are fast.
 * Run: bash bench/puppet-corpus.sh && npx tsc -p . && node dist/bench/puppet-conformance.js
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parsePuppet } from '../src/parsers/puppet/parse-puppet.js';
import { extractOurs, extractPuppet } from './puppet-pn-compare.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CORPUS = join(ROOT, '.corpus', 'puppet-modules');
const CACHE = join(ROOT, '.corpus', 'puppet-cache');
const RESULTS = join(ROOT, 'bench', 'results', 'puppet-conformance.md');
const BATCH = 200;

interface ValidateEntry { ok: boolean; message?: string }

function listPp(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.pp')) out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out.sort();
}

function loadJson<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

function puppet(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('puppet', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/** `puppet parser validate` on a batch; failures attributed via `(file: path`; unattributed -> file by file. */
function validateBatch(files: string[], out: Map<string, ValidateEntry>): void {
  const r = puppet(['parser', 'validate', '--color=false', ...files]);
  const lines = strip(r.stderr).split('\n').filter((l) => l.startsWith('Error:'));
  const failed = new Map<string, string>();
  let unattributed = false;
  for (const line of lines) {
    const m = /\(file: ([^,)]+)/.exec(line);
    if (m && files.includes(m[1] as string)) {
      if (!failed.has(m[1] as string)) failed.set(m[1] as string, line);
    } else unattributed = true;
  }
  if ((r.status !== 0 && failed.size === 0) || unattributed) {
    if (files.length > 1) {
      for (const f of files) validateBatch([f], out);
      return;
    }
    out.set(files[0] as string, r.status === 0 ? { ok: true } : { ok: false, message: lines.join(' ') || strip(r.stderr).trim() });
    return;
  }
  for (const f of files) out.set(f, failed.has(f) ? { ok: false, message: failed.get(f) as string } : { ok: true });
}

/** Splits concatenated JSON values (puppet prints one per file, no separator). */
function splitJson(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

function dumpBatch(files: string[], out: Map<string, string>): void {
  const r = puppet(['parser', 'dump', '--format', 'json', '--color=false', ...files]);
  const values = splitJson(r.stdout);
  if (values.length === files.length && r.status === 0) {
    files.forEach((f, i) => out.set(f, values[i] as string));
  } else if (files.length > 1) {
    for (const f of files) dumpBatch([f], out);
  } else {
    out.set(files[0] as string, values.length === 1 ? (values[0] as string) : 'null');
  }
}

function main(): void {
  if (!existsSync(CORPUS)) {
    console.error(`no corpus at ${CORPUS}: run bash bench/puppet-corpus.sh first`);
    process.exit(2);
  }
  mkdirSync(CACHE, { recursive: true });
  const files = listPp(CORPUS);
  const texts = new Map<string, string>();
  const hashes = new Map<string, string>();
  for (const f of files) {
    const t = readFileSync(f, 'utf8');
    texts.set(f, t);
    hashes.set(f, createHash('sha1').update(t).digest('hex'));
  }
  const version = puppet(['--version']).stdout.trim();

  // 1. acceptance
  const vPath = join(CACHE, 'validate.json');
  const vCache = loadJson<Record<string, ValidateEntry>>(vPath, {});
  const todo = files.filter((f) => !vCache[hashes.get(f) as string]);
  console.log(`files: ${files.length}; puppet validate needed for ${todo.length}`);
  for (let i = 0; i < todo.length; i += BATCH) {
    const got = new Map<string, ValidateEntry>();
    validateBatch(todo.slice(i, i + BATCH), got);
    for (const [f, v] of got) vCache[hashes.get(f) as string] = v;
    writeFileSync(vPath, JSON.stringify(vCache));
    process.stdout.write(`  validated ${Math.min(i + BATCH, todo.length)}/${todo.length}\n`);
  }
  const ours = new Map<string, ReturnType<typeof parsePuppet>>();
  for (const f of files) ours.set(f, parsePuppet(texts.get(f) as string)); // cold run (JIT warm-up)
  const t0 = performance.now();
  for (const f of files) ours.set(f, parsePuppet(texts.get(f) as string));
  const parseMs = performance.now() - t0;
  const bytes = [...texts.values()].reduce((n, t) => n + t.length, 0);

  const puppetOk = files.filter((f) => vCache[hashes.get(f) as string]?.ok);
  const oursOk = files.filter((f) => ours.get(f)?.errors.length === 0);
  const falseRejects = puppetOk.filter((f) => (ours.get(f)?.errors.length ?? 0) > 0);
  const bothReject = files.filter((f) => !vCache[hashes.get(f) as string]?.ok && (ours.get(f)?.errors.length ?? 0) > 0);
  const weAcceptPuppetRejects = files.filter((f) => !vCache[hashes.get(f) as string]?.ok && ours.get(f)?.errors.length === 0);
  const rel = (f: string): string => relative(CORPUS, f);

  // 2. extraction
  const dPath = join(CACHE, 'dump.json');
  const dCache = loadJson<Record<string, string>>(dPath, {});
  const compare = puppetOk.filter((f) => ours.get(f)?.errors.length === 0);
  const dTodo = compare.filter((f) => dCache[hashes.get(f) as string] === undefined);
  console.log(`puppet dump needed for ${dTodo.length}`);
  for (let i = 0; i < dTodo.length; i += BATCH) {
    const got = new Map<string, string>();
    dumpBatch(dTodo.slice(i, i + BATCH), got);
    for (const [f, v] of got) dCache[hashes.get(f) as string] = v;
    writeFileSync(dPath, JSON.stringify(dCache));
    process.stdout.write(`  dumped ${Math.min(i + BATCH, dTodo.length)}/${dTodo.length}\n`);
  }
  let equal = 0;
  let facts = 0;
  let opaque = 0;
  const OPAQUE = /(^|[=(,[|> ])\*($|[ ,)\]|])/;
  const mismatches: string[] = [];
  for (const f of compare) {
    const expected = extractPuppet(JSON.parse(dCache[hashes.get(f) as string] ?? 'null'));
    const actual = extractOurs((ours.get(f) as ReturnType<typeof parsePuppet>).tree);
    facts += expected.length;
    opaque += expected.filter((x) => OPAQUE.test(x.replace(/\*=>/g, ''))).length;
    const missing = expected.filter((x) => !actual.includes(x));
    const extra = actual.filter((x) => !expected.includes(x));
    if (missing.length === 0 && extra.length === 0 && expected.length === actual.length) equal++;
    else mismatches.push(`${rel(f)}\n    puppet only: ${missing.slice(0, 3).join('\n                 ')}\n    ours only:   ${extra.slice(0, 3).join('\n                 ')}`);
  }

  const lines: string[] = [];
  const say = (s: string): void => { lines.push(s); console.log(s); };
  say(`# Puppet parser conformance`);
  say('');
  say(`- date: ${new Date().toISOString().slice(0, 10)}`);
  say(`- reference: Puppet ${version} (Debian package), \`puppet parser validate\` and \`puppet parser dump --format json\``);
  say(`- corpus: every Debian \`puppet-module-*\` package, ${files.length} .pp files, ${(bytes / 1e6).toFixed(1)} MB`);
  say('');
  say('## Acceptance');
  say('');
  say(`| | files |`);
  say(`| --- | ---: |`);
  say(`| total | ${files.length} |`);
  say(`| accepted by puppet | ${puppetOk.length} |`);
  say(`| accepted by ours | ${oursOk.length} |`);
  say(`| **accepted by puppet, rejected by ours** | **${falseRejects.length}** |`);
  say(`| rejected by both | ${bothReject.length} |`);
  say(`| rejected by puppet, accepted by ours | ${weAcceptPuppetRejects.length} |`);
  say('');
  for (const f of falseRejects) {
    const e = ours.get(f)?.errors[0];
    say(`- ${rel(f)}:${e?.range.start.line}:${e?.range.start.column} ${e?.message}`);
  }
  for (const f of [...bothReject, ...weAcceptPuppetRejects]) {
    say(`- puppet rejects ${rel(f)}: ${(vCache[hashes.get(f) as string]?.message ?? '').replace(/^Error: /, '').slice(0, 200)}`);
  }
  say('');
  say(`Our parse time for the whole corpus (second pass, JIT warm): ${parseMs.toFixed(0)} ms (${(bytes / 1e6 / (parseMs / 1000)).toFixed(1)} MB/s), one process.`);
  say('');
  say('## Extraction against `puppet parser dump`');
  say('');
  say('Compared per file: every resource declaration (type, form, title, attribute names, operators and');
  say('values, including `class { ... }` declarations) and every class/define parameter (name and default), as');
  say('canonical strings built from Puppet\'s PN JSON and from our AST (bench/puppet-pn-compare.ts).');
  say('');
  say(`- files compared: ${compare.length}`);
  say(`- facts compared (resources + parameters): ${facts}`);
  say(`- facts in which some sub-expression is compared only as "an expression" (e.g. case/if values, lambdas): ${opaque}`);
  say(`- files equal: ${equal}`);
  say(`- files with a mismatch: ${mismatches.length}`);
  say('');
  for (const m of mismatches.slice(0, 20)) say(`    ${m}`);
  say('');
  say('## Reproduce');
  say('');
  say('```');
  say('bash bench/puppet-corpus.sh && npx tsc -p . && node dist/bench/puppet-conformance.js');
  say('```');
  say('');
  say('Puppet\'s answers are cached by content hash in `.corpus/puppet-cache/`.');
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, lines.join('\n') + '\n');
  process.exitCode = falseRejects.length === 0 ? 0 : 1;
}

main();
