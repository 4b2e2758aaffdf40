/**
 * nonexistent-tht-parameter (catalogue R12): a TripleO heat parameter that tripleo-heat-templates never had, or
 * never released (`NovaApiWsgiThreads`, `NovaWsgiThreads`, `RabbitHeartbeatInPthread`, `NovaApiHeartbeat`,
 * `ApacheMPMModule`), set in an environment's `parameter_defaults` (also inside `<Role>Parameters`) or old-style
 * `parameters`, or read with `get_param` by a template that does not declare it.
 *
 * Why: Heat silently ignores a parameter_defaults entry no template declares, so the intended fix (one thread,
 * a pthread heartbeat, an MPM switch) never reaches the nodes, and the deployment looks configured when it is
 * not. The names and what to use instead are knowledge (rules/knowledge/heat.yaml `missing_parameters`).
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Rule, RuleContext } from '../../src/model/rule.js';
import type { YamlFile } from '../../src/model/ast/yaml.js';
import type { MissingHeatParameter } from '../../src/model/knowledge.js';
import { yamlRange } from '../../src/settings/yaml-value.js';

interface HeatFile {
  path: string;
  kind: 'heat' | 'heat-env';
  tree: YamlFile;
}

const ROLE_PARAMETERS = /^\w+Parameters$/;

const rule: Rule = {
  meta: {
    id: 'nonexistent-tht-parameter',
    description: 'A TripleO heat parameter that tripleo-heat-templates does not have (the value is silently ignored)',
    severity: 'warning',
    kinds: ['heat-env', 'heat'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://docs.openstack.org/heat/latest/template_guide/environment.html',
    ],
  },
  check(context) {
    for (const file of context.files) {
      if (file.kind !== 'heat-env' && file.kind !== 'heat') continue;
      for (const doc of file.tree.documents) {
        if (isMap(doc.contents)) checkRoot(context, { path: file.path, kind: file.kind, tree: file.tree }, doc.contents);
      }
    }
  },
};
export default rule;

function checkRoot(context: RuleContext, file: HeatFile, root: YAMLMap): void {
  const sections = file.kind === 'heat-env' ? ['parameter_defaults', 'parameters'] : ['parameter_defaults'];
  for (const section of sections) {
    const map = root.get(section, true);
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      checkName(context, file, pair, `${section} entry`);
      const name = keyOf(pair);
      if (name !== undefined && ROLE_PARAMETERS.test(name) && isMap(pair.value)) {
        for (const inner of pair.value.items) checkName(context, file, inner, `${name} entry`);
      }
    }
  }
  if (file.kind !== 'heat') return;
  const declared = root.get('parameters', true);
  const has = (name: string): boolean => isMap(declared) && declared.has(name);
  walk(root, (pair) => {
    if (keyOf(pair) !== 'get_param') return;
    const target = isScalar(pair.value) ? pair.value : isSeq(pair.value) ? pair.value.items[0] : undefined;
    const name = isScalar(target) ? String(target.value) : undefined;
    const missing = name === undefined ? undefined : context.knowledge.missingHeatParameter(name);
    if (missing && !has(missing.name)) report(context, file, target as Node, missing, 'get_param of it');
  });
}

function checkName(context: RuleContext, file: HeatFile, pair: Pair, where: string): void {
  const name = keyOf(pair);
  const missing = name === undefined ? undefined : context.knowledge.missingHeatParameter(name);
  if (missing) report(context, file, pair.key as Node, missing, where);
}

function report(context: RuleContext, file: HeatFile, node: Node, missing: MissingHeatParameter, where: string): void {
  const history = missing.note !== undefined ? ` (it ${missing.note})` : '';
  context.report({
    path: file.path,
    range: yamlRange(file.tree, node),
    message:
      `No such TripleO heat parameter: ${missing.name}${history}. Heat ignores this ${where}, so the setting never ` +
      `reaches the nodes and the deployment only looks configured. Use ${missing.instead}.`,
  });
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** Every map entry below `node`, depth-first. */
function walk(node: unknown, visit: (pair: Pair) => void, depth = 0): void {
  if (depth > 50) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      visit(pair);
      walk(pair.value, visit, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walk(item, visit, depth + 1);
  }
}
