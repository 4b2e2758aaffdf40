/**
 * `heartbeat-bot review`: the change base..head of a git repository -> a ChangeSet, read from git objects only
 * (the work tree is never looked at, so DIR may be bare). Four git processes whatever the size of the change, in
 * two rounds: one rev-parse per revision and one diff --raw --numstat in parallel, then one cat-file --batch for
 * every blob, the head commit and the configuration file. Hunks are computed from the blobs by the engine
 * (src/diff), so no patch text is needed.
 */
import type { ChangeSet, FileChange } from '../model/change-set.js';
import { catFileBatch, type GitObject } from './cat-file-batch.js';
import { CliError } from './cli-error.js';
import { decodeContent } from './decode-content.js';
import { parseRawDiff, type RawEntry } from './parse-raw-diff.js';
import { runGit } from './run-git.js';
import { fileStatusOfLetter } from '../diff/file-status-of-letter.js';

/** The per-repository configuration file at the repository root (CONTRACTS.md §5). */
export const REPO_CONFIG_FILE = '.heartbeat-bot.yml';

export interface GitChange {
  changeSet: ChangeSet;
  /** Branch names that base and head are (`stable/wallaby`), when they are branches. */
  branches: { base?: string; head?: string };
  /** `.heartbeat-bot.yml` of the head commit, when it has one. */
  configText?: string;
}

const SYMLINK_MODE = '120000';
const GITLINK_MODE = '160000';

/** `refs/heads/stable/wallaby` or `refs/remotes/origin/stable/wallaby` -> `stable/wallaby`. */
export function branchOfRef(ref: string): string | undefined {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  const remote = /^refs\/remotes\/[^/]+\/(.+)$/.exec(ref);
  if (remote?.[1] !== undefined && remote[1] !== 'HEAD') return remote[1];
  return undefined;
}

/** A revision as a commit id, and the branch it names if it names one. */
interface ResolvedRev {
  oid: string;
  branch?: string;
}

/**
 * One rev-parse per revision: `<rev>^{commit}` gives the commit id (and fails for anything else);
 * `--symbolic-full-name <rev>` then prints its ref when it is one (nothing for a commit id or `HEAD~1`).
 */
async function resolveRev(repo: string, rev: string): Promise<ResolvedRev> {
  let output: string;
  try {
    output = (await runGit(repo, ['rev-parse', `${rev}^{commit}`, '--symbolic-full-name', rev])).stdout.toString('utf8');
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    if (/not a git repository/i.test(error.message)) throw new CliError(`not a git repository: ${repo}`);
    if (/cannot change to/i.test(error.message)) throw new CliError(`no such repository directory: ${repo}`);
    const reason = error.message.replace(/^git rev-parse: /, '');
    // Other failures (dubious ownership, a corrupt repository) are git's to explain, not a wrong revision.
    if (!/ambiguous argument|unknown revision|bad revision|does not exist|not a valid|needed a single revision/i.test(reason)) {
      throw new CliError(`git: ${reason}`);
    }
    throw new CliError(`unknown revision or not a commit: '${rev}' (${reason})`);
  }
  const [oid = '', ref = ''] = output.split('\n');
  const branch = branchOfRef(ref);
  return branch === undefined ? { oid } : { oid, branch };
}

/** The message of a commit object: everything after the header's blank line. */
function commitMessage(commit: GitObject | undefined): string | undefined {
  if (commit === undefined) return undefined;
  const text = commit.content.toString('utf8');
  const blank = text.indexOf('\n\n');
  return blank < 0 ? '' : text.slice(blank + 2);
}

function statusOf(entry: RawEntry): FileChange['status'] {
  return fileStatusOfLetter(entry.status);
}

/** Why a side of an entry is not text to review, before reading it. */
function skipBeforeReading(entry: RawEntry): string | undefined {
  if (entry.newMode === GITLINK_MODE) return 'submodule';
  if (entry.newMode === SYMLINK_MODE) return 'symbolic link';
  if (entry.binary) return 'binary';
  return undefined;
}

export async function readGitChange(repo: string, base: string, head: string): Promise<GitChange> {
  // Two rounds of processes: the revisions and the diff in parallel, then the objects. The diff names the
  // revisions as given; their rev-parse results decide what a failure means (git's diff errors are vaguer).
  const [baseResult, headResult, diffResult] = await Promise.allSettled([
    resolveRev(repo, base),
    resolveRev(repo, head),
    runGit(repo, ['diff', '--raw', '--numstat', '-z', '-M', '--no-abbrev', '--no-ext-diff', `${base}^{commit}`, `${head}^{commit}`, '--']),
  ]);
  if (baseResult.status === 'rejected') throw baseResult.reason;
  if (headResult.status === 'rejected') throw headResult.reason;
  if (diffResult.status === 'rejected') throw diffResult.reason;
  const baseRev = baseResult.value;
  const headRev = headResult.value;
  const headOid = headRev.oid;
  const stdout = diffResult.value.stdout;
  const branches: GitChange['branches'] = {};
  if (baseRev.branch !== undefined) branches.base = baseRev.branch;
  if (headRev.branch !== undefined) branches.head = headRev.branch;
  const entries = parseRawDiff(stdout.toString('utf8'));

  // One batch: head commit, head's config file, then every blob to read.
  const configName = `${headOid}:${REPO_CONFIG_FILE}`;
  const wanted = new Set<string>([headOid, configName]);
  const plans = entries.map((entry) => {
    const status = statusOf(entry);
    const skipped = status === 'deleted' ? undefined : skipBeforeReading(entry);
    const readNew = status !== 'deleted' && skipped === undefined;
    // The old side is read for diffing a file whose new side is reviewed, and for deleted files: rules about what
    // a change removes (an override taken out) read it.
    const oldIsText = status !== 'added' && !entry.binary && entry.oldMode !== GITLINK_MODE && entry.oldMode !== SYMLINK_MODE;
    const readOld = oldIsText && (readNew || status === 'deleted');
    if (readNew) wanted.add(entry.newOid);
    if (readOld) wanted.add(entry.oldOid);
    return { entry, status, skipped, readNew, readOld };
  });
  const objects = await catFileBatch(repo, [...wanted]);

  const files: FileChange[] = plans.map(({ entry, status, skipped, readNew, readOld }) => {
    const file: FileChange = { path: entry.path, status };
    if (entry.oldPath !== entry.path) file.oldPath = entry.oldPath;
    if (skipped !== undefined) file.skipped = skipped;
    if (readNew) {
      const blob = objects.get(entry.newOid);
      const decoded = blob === undefined ? { skipped: 'missing from the repository' } : decodeContent(blob.content);
      if ('text' in decoded) file.newContent = decoded.text;
      else file.skipped = decoded.skipped;
    }
    if (readOld && (file.newContent !== undefined || status === 'deleted')) {
      const blob = objects.get(entry.oldOid);
      const decoded = blob === undefined ? undefined : decodeContent(blob.content);
      // An old side that is not reviewable text (binary or huge before) leaves the whole new file as the change.
      if (decoded !== undefined && 'text' in decoded) file.oldContent = decoded.text;
    }
    return file;
  });

  const changeSet: ChangeSet = { files };
  const message = commitMessage(objects.get(headOid));
  if (message !== undefined) changeSet.commitMessage = message;
  const config = objects.get(configName);
  return {
    changeSet,
    branches,
    ...(config !== undefined && config.type === 'blob' ? { configText: config.content.toString('utf8') } : {}),
  };
}
