/**
 * Test helpers for the engine: the shipped knowledge, tiny rules that report on line text (so engine tests do not
 * depend on what extractors find), and FileChange builders.
 */
import type { FileChange } from '../../src/model/change-set.js';
import type { FileKind } from '../../src/model/file-kind.js';
import type { Rule, RuleContext, ReportInput } from '../../src/model/rule.js';
import type { Severity } from '../../src/model/finding.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';

export const knowledge = loadKnowledge();

export interface FakeRuleOptions {
  severity?: Severity;
  kinds?: FileKind[];
  references?: string[];
  /** Extra fields for every report. */
  extra?: Partial<ReportInput>;
}

/** A rule reporting every line that matches `pattern`, in every file of its kinds. */
export function lineRule(id: string, pattern: RegExp, options: FakeRuleOptions = {}): Rule {
  return fakeRule(id, options, (context) => {
    for (const file of context.files) {
      file.text.split('\n').forEach((text, i) => {
        if (!pattern.test(text) || /^\s*(?:[#;]|\/\/)/.test(text)) return;
        const line = i + 1;
        context.report({
          path: file.path,
          range: { start: { line, column: 1, offset: 0 }, end: { line, column: text.length + 1, offset: 0 } },
          message: `${id} saw: ${text.trim()}`,
          ...options.extra,
        });
      });
    }
  });
}

export function fakeRule(id: string, options: FakeRuleOptions, check: (context: RuleContext) => void): Rule {
  return {
    meta: {
      id,
      description: `test rule ${id}`,
      severity: options.severity ?? 'warning',
      kinds: options.kinds ?? ['ini'],
      references: options.references ?? ['https://example.org/doc'],
    },
    check,
  };
}

export function added(path: string, newContent: string): FileChange {
  return { path, status: 'added', newContent };
}

export function modified(path: string, oldContent: string, newContent: string, patch?: string): FileChange {
  return { path, status: 'modified', oldContent, newContent, ...(patch !== undefined ? { patch } : {}) };
}

/** An oslo.config file whose lines 2.. are `name = value` options. */
export function ini(...options: string[]): string {
  return ['[DEFAULT]', ...options, ''].join('\n');
}
