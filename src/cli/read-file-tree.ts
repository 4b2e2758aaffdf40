/**
 * `heartbeat-bot check`: files and directory trees -> a ChangeSet of whole files. Paths are relative to the
 * current directory with forward slashes. Directories of tools, dependencies and build output are not entered;
 * binary, huge and non-UTF-8 files are listed as skipped; a path that does not exist is a CliError.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ChangeSet, FileChange } from '../model/change-set.js';
import type { FileError } from '../model/finding.js';
import { CliError } from './cli-error.js';
import { decodeContent, MAX_FILE_BYTES } from './decode-content.js';

/** Not entered when met while walking a directory (a path given on the command line is always read). */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  '.git', '.hg', '.svn', 'node_modules', 'dist', '.tox', '.nox', '.venv', 'venv', 'vendor', '__pycache__', '.eggs',
  '.mypy_cache', '.pytest_cache',
]);

export interface FileTree {
  changeSet: ChangeSet;
  /** Files that exist but could not be read (permissions, races): I/O errors, exit 2. */
  ioErrors: FileError[];
}

function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute) || '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function readFileTree(paths: readonly string[], cwd: string = process.cwd()): FileTree {
  const files: FileChange[] = [];
  const ioErrors: FileError[] = [];
  const seen = new Set<string>();

  const addFile = (absolute: string, stats: Stats) => {
    const path = displayPath(cwd, absolute);
    if (seen.has(path)) return;
    seen.add(path);
    try {
      // Only the head of a huge file is read: enough to tell binary from text for the skip reason.
      const bytes = stats.size > MAX_FILE_BYTES ? readHead(absolute, 8000) : readFileSync(absolute);
      const decoded = decodeContent(bytes, stats.size);
      files.push('text' in decoded ? { path, status: 'added', newContent: decoded.text } : { path, status: 'added', skipped: decoded.skipped });
    } catch (error) {
      ioErrors.push({ path, message: `cannot read: ${(error as Error).message}` });
    }
  };

  const walk = (directory: string) => {
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      ioErrors.push({ path: displayPath(cwd, directory), message: `cannot read directory: ${(error as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.endsWith('.egg-info')) walk(absolute);
      } else if (entry.isFile()) {
        try {
          addFile(absolute, statSync(absolute));
        } catch (error) {
          ioErrors.push({ path: displayPath(cwd, absolute), message: `cannot read: ${(error as Error).message}` });
        }
      } else if (entry.isSymbolicLink()) {
        // Not followed inside trees: links can loop or leave the tree.
        files.push({ path: displayPath(cwd, absolute), status: 'added', skipped: 'symbolic link' });
      }
    }
  };

  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let stats: Stats;
    try {
      stats = statSync(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`no such file or directory: ${given}`);
      throw new CliError(`cannot read ${given}: ${(error as Error).message}`);
    }
    if (stats.isDirectory()) walk(absolute);
    else if (stats.isFile()) addFile(absolute, stats);
    else throw new CliError(`not a regular file or directory: ${given}`);
  }
  return { changeSet: { files, wholeFiles: true }, ioErrors };
}
