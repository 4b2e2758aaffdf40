/**
 * `npm run docs`: regenerates rules/README.md and README.md's configuration section from the code. The only file
 * of src/docs that touches the file system; the generators are pure, so the tests compare against them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../engine/load-rules.js';
import { CONFIG_END, CONFIG_START, configDocsMarkdown } from './generate-config-docs.js';
import { rulesReadmeMarkdown } from './generate-rules-readme.js';
import { replaceBetweenMarkers } from './replace-between-markers.js';

/** The package root, from dist/src/docs/write-docs.js. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function main(): Promise<void> {
  const rules = await loadRules();
  const rulesReadme = `${PACKAGE_ROOT}rules/README.md`;
  writeFileSync(rulesReadme, rulesReadmeMarkdown(rules.map((r) => r.meta)));
  const readme = `${PACKAGE_ROOT}README.md`;
  writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, 'utf8'), CONFIG_START, CONFIG_END, configDocsMarkdown()));
  process.stdout.write(`wrote ${rulesReadme} (${rules.length} rules) and the configuration section of ${readme}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
