/**
 * Build step: compiles rules/knowledge/*.yaml into dist/knowledge.json, which loadKnowledge() reads instead of
 * parsing YAML at every start. The YAML is validated on the way (buildKnowledge throws on a malformed file), so
 * a broken knowledge file fails the build, not a review.
 *
 *   node dist/src/settings/compile-knowledge.js
 */
import { writeFileSync } from 'node:fs';
import { buildKnowledge, compiledPath, parseKnowledgeYaml } from './load-knowledge.js';

const docs = parseKnowledgeYaml();
buildKnowledge(docs);
writeFileSync(compiledPath(), JSON.stringify(docs));
