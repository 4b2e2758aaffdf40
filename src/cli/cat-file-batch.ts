/**
 * Reads many git objects with ONE `git cat-file --batch` process: every name on a line of stdin, the framed
 * output (`<oid> <type> <size>\n<content>\n`, or `<name> missing\n`) parsed back in order.
 */
import { runGit } from './run-git.js';

export interface GitObject {
  type: string;
  content: Buffer;
}

/** Parses cat-file --batch output for `names`, in the order they were asked. */
export function parseBatchOutput(output: Buffer, names: readonly string[]): Map<string, GitObject | undefined> {
  const objects = new Map<string, GitObject | undefined>();
  let at = 0;
  for (const name of names) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) throw new Error(`git cat-file --batch: output ended before ${name}`);
    const header = output.subarray(at, eol).toString('utf8');
    at = eol + 1;
    // `<name> missing`, `<name> ambiguous`: the object does not exist (a config file that is not there).
    const match = /^[0-9a-f]+ (\S+) (\d+)$/.exec(header);
    if (match === null) {
      objects.set(name, undefined);
      continue;
    }
    const size = Number(match[2]);
    objects.set(name, { type: match[1] ?? '', content: output.subarray(at, at + size) });
    at += size + 1;
  }
  return objects;
}

/** Reads the objects named by `names` (`<oid>`, `<rev>:<path>`); missing ones map to undefined. */
export async function catFileBatch(repo: string, names: readonly string[]): Promise<Map<string, GitObject | undefined>> {
  if (names.length === 0) return new Map();
  // Names with a newline cannot be asked on a line; they never reach here (paths come from -z output as oids).
  const { stdout } = await runGit(repo, ['cat-file', '--batch'], `${names.join('\n')}\n`);
  return parseBatchOutput(stdout, names);
}
