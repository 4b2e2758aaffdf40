/**
 * Runs rules over one change's parsed files and settings, turning reports into findings.
 *
 * Why it is separate from review(): this is the only place that calls rule code, so it is where a rule is
 * isolated. A rule that throws becomes an `errors` entry and the other rules still run. Rules are dispatched
 * cheaply: a rule runs only when a file of one of its kinds is part of the change, and it sees the settings of
 * files of its kinds only (settings-by-kinds.ts).
 *
 * May not: read files, the clock or the environment; know about platforms, formats or diffs.
 */
import type { FileError, Finding } from '../model/finding.js';
import type { FileKind } from '../model/file-kind.js';
import type { Knowledge } from '../model/knowledge.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Release } from '../model/release.js';
import type { ReportInput, Rule, RuleContext } from '../model/rule.js';
import type { Setting } from '../model/setting.js';
import { settingsByKinds } from './settings-by-kinds.js';

export interface RuleInputs {
  files: readonly ParsedFile[];
  settings: readonly Setting[];
  release: Release;
  knowledge: Knowledge;
  commitMessage?: string;
  /** The old side of the change (old-side.ts); absent means there is none (`check`, tests of one side). */
  oldSide?: Pick<RuleContext, 'previous' | 'newLineFor'>;
}

const NO_OLD_SIDE: Pick<RuleContext, 'previous' | 'newLineFor'> = {
  previous: { settings: [], files: [] },
  newLineFor: () => undefined,
};

export interface RuleOutputs {
  findings: Finding[];
  errors: FileError[];
  /** Ids of rules that threw: their silence proves nothing (an ignore of them is not "unused"). */
  failed: string[];
}

/** Runs every rule whose kinds are present; each report becomes a Finding with the rule's references. */
export function runRules(rules: readonly Rule[], inputs: RuleInputs): RuleOutputs {
  const kinds = new Set<FileKind>(inputs.files.map((f) => f.kind));
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  const failed: string[] = [];
  const oldSide = inputs.oldSide ?? NO_OLD_SIDE;
  const newSettings = settingsByKinds(inputs);
  const oldSettings = settingsByKinds(oldSide.previous);
  for (const rule of rules) {
    if (!rule.meta.kinds.some((k) => kinds.has(k))) continue;
    const reported: Finding[] = [];
    const ruleKinds = rule.meta.alsoReads ? [...rule.meta.kinds, ...rule.meta.alsoReads] : rule.meta.kinds;
    const context: RuleContext = {
      settings: newSettings(ruleKinds),
      files: inputs.files,
      release: inputs.release,
      knowledge: inputs.knowledge,
      // One lazy old side shared by every rule: parsed once, on the first rule that reads it.
      previous: {
        get settings() {
          return oldSettings(ruleKinds);
        },
        get files() {
          return oldSide.previous.files;
        },
      },
      newLineFor: oldSide.newLineFor,
      ...(inputs.commitMessage !== undefined ? { commitMessage: inputs.commitMessage } : {}),
      report: (input) => reported.push(toFinding(rule, input)),
    };
    try {
      rule.check(context);
      findings.push(...reported);
    } catch (e) {
      // Keep nothing from a rule that failed half-way: its findings may be the wrong half.
      errors.push({ path: `rules/${rule.meta.id}`, message: `rule ${rule.meta.id} failed on this change: ${messageOf(e)}` });
      failed.push(rule.meta.id);
    }
  }
  return { findings, errors, failed };
}

/** A report as a Finding: severity defaulted, references merged, position taken from the range. */
export function toFinding(rule: Rule, input: ReportInput): Finding {
  const { start, end } = input.range;
  // An exclusive end at column 1 of a later line does not cover that line.
  const endsAtLineStart = end.line > start.line && end.column === 1;
  const finding: Finding = {
    ruleId: rule.meta.id,
    severity: input.severity ?? rule.meta.severity,
    path: input.path,
    line: start.line,
    endLine: endsAtLineStart ? end.line - 1 : Math.max(end.line, start.line),
    column: start.column,
    message: input.message,
    references: orderReferences([...rule.meta.references, ...(input.references ?? [])]),
  };
  if (!endsAtLineStart) finding.endColumn = end.column;
  if (input.suggestion !== undefined) finding.suggestion = { ...input.suggestion };
  return finding;
}

const LAUNCHPAD = /^https:\/\/bugs\.launchpad\.net\//;

/** Deduplicated, Launchpad bugs first, otherwise in the order given. */
export function orderReferences(references: readonly string[]): string[] {
  const unique = [...new Set(references)];
  return [...unique.filter((r) => LAUNCHPAD.test(r)), ...unique.filter((r) => !LAUNCHPAD.test(r))];
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
