/**
 * Parses `git diff --raw --numstat -z --no-abbrev` output: the raw records (modes, blob ids, status, paths) and,
 * after them, the numstat records whose `-\t-` marks a binary file. One git run gives both.
 */

export interface RawEntry {
  /** Status letter: A, M, D, R, C, T (type change), U (unmerged), X. */
  status: string;
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  /** Path before the change (the same as `path` unless renamed or copied). */
  oldPath: string;
  /** Path after the change (the deleted path for D). */
  path: string;
  binary: boolean;
}

const RAW_HEADER = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/;

export function parseRawDiff(output: string): RawEntry[] {
  const tokens = output.split('\0');
  const entries: RawEntry[] = [];
  let i = 0;
  // Raw records: a header token, then one path, or two for renames and copies.
  while (i < tokens.length && (tokens[i] ?? '').startsWith(':')) {
    const match = RAW_HEADER.exec(tokens[i] ?? '');
    if (match === null) throw new Error(`unexpected git diff --raw record: ${JSON.stringify(tokens[i])}`);
    const [, oldMode = '', newMode = '', oldOid = '', newOid = '', status = ''] = match;
    const twoPaths = status === 'R' || status === 'C';
    const oldPath = tokens[i + 1] ?? '';
    const path = twoPaths ? (tokens[i + 2] ?? '') : oldPath;
    entries.push({ status, oldMode, newMode, oldOid, newOid, oldPath, path, binary: false });
    i += twoPaths ? 3 : 2;
  }
  // Numstat records: `added\tdeleted\tpath`, or for renames and copies `added\tdeleted\t` then two paths.
  // Matched by path, not by position, so a record git leaves out cannot shift the others.
  const binaryPaths = new Set<string>();
  while (i < tokens.length) {
    const record = tokens[i] ?? '';
    if (record === '') {
      i++;
      continue;
    }
    const fields = record.split('\t');
    const inline = fields.slice(2).join('\t');
    const path = inline !== '' ? inline : (tokens[i + 2] ?? '');
    if (fields[0] === '-' && fields[1] === '-') binaryPaths.add(path);
    i += inline !== '' ? 1 : 3;
  }
  for (const entry of entries) entry.binary = binaryPaths.has(entry.path);
  return entries;
}
