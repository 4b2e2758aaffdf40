/** heartbeat-bot's own version, from its package.json. */
import { readFileSync } from 'node:fs';

/** Read on demand (only `--version` and SARIF need it); dist/src/cli/ is three levels below the package root. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
