/** Line text of reviewed files, split once per file on demand. */
import type { Report } from './report.js';

export type LineText = (path: string, line: number) => string | undefined;

/** A lookup of 1-based line text from the report's contents; undefined when the content is not known. */
export function sourceLines(report: Pick<Report, 'contents'>): LineText {
  const cache = new Map<string, string[]>();
  return (path, line) => {
    const content = report.contents?.get(path);
    if (content === undefined) return undefined;
    let lines = cache.get(path);
    if (lines === undefined) {
      lines = content.split(/\r?\n/);
      cache.set(path, lines);
    }
    return lines[line - 1];
  };
}
