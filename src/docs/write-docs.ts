/**
 * `npm run docs`: regenerates rules/README.md and README.md's configuration section from the code, and the
 * "Evidence" section of the core rules' READMEs from the evidence lab's lab/results.json. The only file of
 * src/docs that touches the file system; the generators are pure, so the tests compare against them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../engine/load-rules.js';
import { CONFIG_END, CONFIG_START, configDocsMarkdown } from './generate-config-docs.js';
import { rulesReadmeMarkdown } from './generate-rules-readme.js';
import { LAB_EVIDENCE, LAB_EVIDENCE_END, LAB_EVIDENCE_START, labEvidenceMarkdown, parseLabResults } from './lab-evidence.js';
import { replaceBetweenMarkers } from './replace-between-markers.js';

/** The package root, from dist/src/docs/write-docs.js. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function main(): Promise<void> {
  const rules = await loadRules();
  const rulesReadme = `${PACKAGE_ROOT}rules/README.md`;
  writeFileSync(rulesReadme, rulesReadmeMarkdown(rules.map((r) => r.meta)));
  const readme = `${PACKAGE_ROOT}README.md`;
  writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, 'utf8'), CONFIG_START, CONFIG_END, configDocsMarkdown()));
  const lab = parseLabResults(readFileSync(`${PACKAGE_ROOT}lab/results.json`, 'utf8'));
  for (const id of Object.keys(LAB_EVIDENCE)) {
    const ruleReadme = `${PACKAGE_ROOT}rules/${id}/README.md`;
    const text = readFileSync(ruleReadme, 'utf8');
    writeFileSync(ruleReadme, replaceBetweenMarkers(text, LAB_EVIDENCE_START, LAB_EVIDENCE_END, labEvidenceMarkdown(id, lab)));
  }
  process.stdout.write(
    `wrote ${rulesReadme} (${rules.length} rules), the configuration section of ${readme} and the lab evidence of ` +
      `${Object.keys(LAB_EVIDENCE).length} rule READMEs\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
