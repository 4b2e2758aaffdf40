/**
 * git's and Gerrit's one-letter file status (`A`dded, `C`opied, `D`eleted, `R`enamed, `M`odified, `T`ype change;
 * Gerrit leaves it out for a modification) as a ChangeSet file status. Shared by the CLI's git source and the
 * Gerrit source, which both receive these letters.
 */
import type { FileStatus } from '../model/change-set.js';

export function fileStatusOfLetter(letter: string | undefined): FileStatus {
  switch (letter) {
    case 'A':
    case 'C':
      return 'added';
    case 'D':
      return 'deleted';
    case 'R':
      return 'renamed';
    default:
      return 'modified';
  }
}
