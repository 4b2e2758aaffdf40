/**
 * review(): the one entry point every platform and the CLI share. Files -> kind -> parse -> settings -> rules ->
 * findings -> configuration overrides -> in-file suppressions (and the engine checks on them) -> marked in/out of
 * the change -> deduplicated, sorted. Rules also see the old side of the change (old-side.ts), parsed only if one
 * of them looks at it.
 *
 * Pure: no file system, network, clock or environment. Whatever a platform knows arrives in the ChangeSet, the
 * rules, the knowledge and the options. Nothing a file or a rule does can make it throw; the one exception is a
 * `--release` naming an unknown series, which is the caller's usage error (UnknownReleaseError).
 *
 * May not: import platforms, service, cli or formats; filter findings (marking is enough, callers filter).
 */
import { diffOfFileChange } from '../diff/diff-of-file-change.js';
import { markFinding } from '../diff/mark-finding.js';
import type { FileDiff } from '../diff/file-diff.js';
import type { ChangeSet, FileChange } from '../model/change-set.js';
import type { FileError, Finding, MarkedFinding } from '../model/finding.js';
import type { Knowledge } from '../model/knowledge.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Release } from '../model/release.js';
import type { RepoConfig, ReviewOptions, ReviewResult } from '../model/review.js';
import type { Rule } from '../model/rule.js';
import { parseFile } from '../parsers/parse-file.js';
import { resolveRelease, UnknownReleaseError } from './resolve-release.js';
import { runRules } from './run-rules.js';
import { applySuppressions } from './apply-suppressions.js';
import { extractSettingsSafely } from './extract-settings-safely.js';
import { dedupeAndSort } from './dedupe-and-sort.js';
import { ignoreMatcher } from './ignore-matcher.js';
import { oldSideOf } from './old-side.js';
import { summarize } from './summarize.js';

/** Reviews one change. See the file header for what happens, in order. */
export function review(
  changeSet: ChangeSet,
  rules: readonly Rule[],
  knowledge: Knowledge,
  options: ReviewOptions = {},
): ReviewResult {
  const config: RepoConfig = options.config ?? {};
  const errors: FileError[] = [];
  const release = releaseOf(changeSet, knowledge, options, errors);

  const isIgnored = ignoreMatcher(config.ignore ?? []);
  const { files, skipped, bytes } = parseChange(changeSet, isIgnored, errors);
  const settings = extractSettingsSafely(files, knowledge, errors);
  const diffOf = fileDiffs(changeSet);
  const ran = runRules(rules, {
    files,
    settings,
    release,
    knowledge,
    oldSide: oldSideOf(changeSet, knowledge, isIgnored, diffOf),
    ...(changeSet.commitMessage !== undefined ? { commitMessage: changeSet.commitMessage } : {}),
  });
  errors.push(...ran.errors);

  const configured = applyRuleSeverities(ran.findings, config.rules);
  const off = Object.entries(config.rules ?? {}).filter(([, v]) => v === 'off').map(([id]) => id);
  const { kept, checks } = applySuppressions(configured, files, {
    ruleIds: rules.map((r) => r.meta.id),
    silent: new Set([...off, ...ran.failed]),
  });
  // Engine checks take the configuration's severities too (`unused-suppression: off`).
  const findings = dedupeAndSort(markAll([...kept, ...applyRuleSeverities(checks, config.rules)], changeSet, diffOf));
  const summary = summarize(settings, knowledge, release);
  return { findings, errors, skipped, stats: { files: files.length, bytes }, release, settings, summary };
}

/** `--release` errors are the caller's; a bad configured release is reported and the branch/default used. */
function releaseOf(changeSet: ChangeSet, knowledge: Knowledge, options: ReviewOptions, errors: FileError[]): Release {
  const branch = changeSet.branch !== undefined ? { branch: changeSet.branch } : {};
  const option = options.release !== undefined ? { option: options.release } : {};
  const configured = options.config?.release;
  try {
    return resolveRelease({ ...option, ...(configured !== undefined ? { config: configured } : {}), ...branch }, knowledge);
  } catch (e) {
    if (!(e instanceof UnknownReleaseError) || e.origin !== 'config') throw e;
    errors.push({ path: '(configuration)', message: `${e.message}; using the branch or the newest series instead` });
    return resolveRelease({ ...branch }, knowledge);
  }
}

interface ParsedChange {
  files: ParsedFile[];
  skipped: { path: string; reason: string }[];
  bytes: number;
}

/** Parses every reviewable file; everything else is listed in `skipped` with why. */
function parseChange(changeSet: ChangeSet, isIgnored: (path: string) => boolean, errors: FileError[]): ParsedChange {
  const out: ParsedChange = { files: [], skipped: [], bytes: 0 };
  // Kind detection may look at the other paths (a YAML file below a hiera.yaml is hieradata).
  const siblingPaths = changeSet.files.map((f) => f.path);
  for (const file of changeSet.files) {
    const reason = skipReason(file, isIgnored);
    if (reason !== undefined || file.newContent === undefined) {
      out.skipped.push({ path: file.path, reason: reason ?? 'no content' });
      continue;
    }
    const parsed = parseSafely(file.path, file.newContent, siblingPaths, errors);
    if (parsed === undefined) {
      out.skipped.push({ path: file.path, reason: 'not a format heartbeat-bot reads' });
      continue;
    }
    // A parse error is reported, but the partial tree is still reviewed: a broken line elsewhere in the file
    // must not hide a bad setting.
    for (const e of parsed.errors) {
      errors.push({ path: file.path, message: `parse error at ${e.range.start.line}:${e.range.start.column}: ${e.message}` });
    }
    out.files.push(parsed);
    out.bytes += Buffer.byteLength(file.newContent, 'utf8');
  }
  return out;
}

function skipReason(file: FileChange, isIgnored: (path: string) => boolean): string | undefined {
  if (file.status === 'deleted') return 'deleted';
  if (file.skipped !== undefined) return file.skipped;
  if (isIgnored(file.path)) return 'ignored by the configuration';
  return undefined;
}

/**
 * Parsers never throw by contract, and a parser bug comes back as an `unknown` file with an error; either way the
 * file is reported rather than the review lost.
 */
function parseSafely(path: string, text: string, siblingPaths: string[], errors: FileError[]): ParsedFile | undefined {
  try {
    const result = parseFile(path, text, { siblingPaths });
    if (result.kind !== 'unknown') return result;
    for (const e of result.errors) {
      errors.push({ path, message: `parse error at ${e.range.start.line}:${e.range.start.column}: ${e.message}` });
    }
    return undefined;
  } catch (e) {
    errors.push({ path, message: `parse error at 1:1: parser failed: ${e instanceof Error ? e.message : String(e)}` });
    return undefined;
  }
}

/** Config `rules:`: `off` drops a rule's findings, a severity replaces the rule's. */
function applyRuleSeverities(findings: readonly Finding[], rules: RepoConfig['rules']): Finding[] {
  if (rules === undefined) return [...findings];
  const out: Finding[] = [];
  for (const f of findings) {
    const override = rules[f.ruleId];
    if (override === 'off') continue;
    out.push(override === undefined ? f : { ...f, severity: override });
  }
  return out;
}

/**
 * The diff of each file of the change, computed when first asked for and kept: marking findings and mapping the
 * old side's lines (old-side.ts) both need it, and only for some files.
 */
function fileDiffs(changeSet: ChangeSet): (file: FileChange) => FileDiff {
  const diffs = new Map<FileChange, FileDiff>();
  return (file) => {
    let diff = diffs.get(file);
    if (diff === undefined) {
      diff = diffOfFileChange(file, changeSet.wholeFiles === true);
      diffs.set(file, diff);
    }
    return diff;
  };
}

/** Marks each finding against its file's diff. */
function markAll(findings: readonly Finding[], changeSet: ChangeSet, diffOf: (file: FileChange) => FileDiff): MarkedFinding[] {
  const byPath = new Map(changeSet.files.map((f) => [f.path, f]));
  return findings.map((finding) => {
    const file = byPath.get(finding.path);
    return { ...finding, diff: markFinding(finding, file === undefined ? undefined : diffOf(file)) };
  });
}
