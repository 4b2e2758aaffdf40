/**
 * `--format sarif`: SARIF 2.1.0, one run. Rules carry helpUri and default level; results carry stable
 * partialFingerprints and, for findings with a suggestion, a fix. File errors become tool notifications.
 */
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../model/finding.js';
import { absoluteRuleDocsUrl, toolInformationUrl } from './docs-url.js';
import { FINGERPRINT_KEY, fingerprints } from './fingerprint.js';
import { summaryRowJson } from './summary-row-json.js';
import type { Formatter } from './report.js';
import { sourceLines } from './source-lines.js';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

/** Repository-relative path -> URI reference (each segment percent-encoded), resolved against %SRCROOT%. */
function artifact(path: string): Sarif.ArtifactLocation {
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function region(f: Finding): Sarif.Region {
  const r: Sarif.Region = { startLine: f.line, endLine: Math.max(f.endLine, f.line) };
  if (f.column !== undefined) r.startColumn = f.column;
  if (f.endColumn !== undefined && f.column !== undefined) r.endColumn = f.endColumn;
  return r;
}

function fix(f: Finding): Sarif.Fix[] | undefined {
  if (f.suggestion === undefined) return undefined;
  return [
    {
      description: { text: `Replace line${f.suggestion.endLine > f.suggestion.line ? 's' : ''} as suggested` },
      artifactChanges: [
        {
          artifactLocation: artifact(f.path),
          replacements: [
            {
              // A region of whole lines without columns ends before the last line's newline, so the
              // replacement text carries no trailing newline either.
              deletedRegion: { startLine: f.suggestion.line, endLine: f.suggestion.endLine },
              insertedContent: { text: f.suggestion.replacement.replace(/\r?\n$/, '') },
            },
          ],
        },
      ],
    },
  ];
}

export const formatSarif: Formatter = (report, options) => {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (id: string, description: string, severity: Severity) => {
    if (ruleIndex.has(id)) return;
    ruleIndex.set(id, rules.length);
    rules.push({
      id,
      shortDescription: { text: description },
      helpUri: absoluteRuleDocsUrl(id, options.docsBase),
      defaultConfiguration: { level: LEVEL[severity] },
    });
  };
  for (const meta of report.rules) addRule(meta.id, meta.description, meta.severity);
  for (const f of report.findings) addRule(f.ruleId, f.ruleId, f.severity);

  const prints = fingerprints(report.findings, sourceLines(report));
  const results: Sarif.Result[] = report.findings.map((f, i) => {
    const result: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.path), region: region(f) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[i] ?? '' },
    };
    const fixes = fix(f);
    if (fixes) result.fixes = fixes;
    if (f.references.length > 0) result.properties = { references: [...f.references] };
    return result;
  });

  const notifications: Sarif.Notification[] = [
    ...report.errors.map(
      (e): Sarif.Notification => ({
        level: 'error',
        message: { text: e.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(e.path) } }],
      }),
    ),
    ...report.skipped.map(
      (s): Sarif.Notification => ({
        level: 'note',
        message: { text: `skipped: ${s.reason}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(s.path) } }],
      }),
    ),
  ];

  const invocation: Sarif.Invocation = { executionSuccessful: true };
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'heartbeat-bot',
            version: options.version,
            semanticVersion: options.version,
            informationUri: toolInformationUrl(options.docsBase),
            rules,
          },
        },
        invocations: [invocation],
        columnKind: 'utf16CodeUnits',
        results,
        // The effective concurrency picture, in the JSON output's row shape (SARIF has no place of its own for it).
        ...(report.summary !== undefined ? { properties: { summary: report.summary.map(summaryRowJson) } } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
