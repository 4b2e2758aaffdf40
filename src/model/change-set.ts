/** What a platform hands the engine: the files of one change, with old and new content. */
export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface FileChange {
  /** New path (old path for a deleted file); repository-relative, forward slashes. */
  path: string;
  oldPath?: string;
  status: FileStatus;
  /** Content after the change; absent for deleted, binary or skipped files. */
  newContent?: string;
  /** Content before the change, when the source has it. */
  oldContent?: string;
  /** Set when the file is not reviewed; says why (binary, too large, not valid UTF-8). */
  skipped?: string;
  /**
   * Unified diff of this file (hunks only or with headers). When absent and both contents are known, the
   * engine computes it; when absent and only the new content is known, the whole file counts as added.
   */
  patch?: string;
}

export interface ChangeSet {
  files: FileChange[];
  /** Target branch (`stable/wallaby`, `master`), for release resolution. */
  branch?: string;
  commitMessage?: string;
  /** When true, every line of every file is treated as part of the change (`heartbeat-bot check`). */
  wholeFiles?: boolean;
}
