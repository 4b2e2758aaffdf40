/** An error the user can act on (bad usage, unreadable input, git's complaint): printed as one line, exit 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
