/**
 * Option values with a fixed set of choices, shared by every subcommand's argument parser so that `--fail-level`
 * means and reads the same everywhere.
 */
import { CliError } from './cli-error.js';
import type { FailLevel } from './parse-args.js';

export const FAIL_LEVELS: readonly FailLevel[] = ['none', 'info', 'warning', 'error'];

/** The value when it is one of `allowed`; undefined when absent; a usage error otherwise. */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], seeHelp: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new CliError(`--${name} must be one of ${allowed.join(', ')}, not '${String(value)}' ${seeHelp}`);
  }
  return value as T;
}
