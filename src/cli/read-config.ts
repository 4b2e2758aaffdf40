/**
 * Which configuration applies and its text: `--config FILE` (read from the file system, relative to the current
 * directory), else the repository's `.heartbeat-bot.yml` as the source found it.
 */
import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';

export interface ConfigSource {
  text: string;
  /** For messages: the file name as the user knows it. */
  source: string;
}

/** Reads `--config FILE`; a missing or unreadable file is a CliError. */
export function readConfigFile(file: string): ConfigSource {
  try {
    return { text: readFileSync(file, 'utf8'), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`no such configuration file: ${file}`);
    throw new CliError(`cannot read configuration ${file}: ${(error as Error).message}`);
  }
}

/** Reads an optional default configuration file; absent is fine, unreadable is a CliError. */
export function readOptionalConfigFile(file: string): ConfigSource | undefined {
  try {
    return { text: readFileSync(file, 'utf8'), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new CliError(`cannot read configuration ${file}: ${(error as Error).message}`);
  }
}
