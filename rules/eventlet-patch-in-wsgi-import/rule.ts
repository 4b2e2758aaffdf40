/**
 * eventlet-patch-in-wsgi-import: `eventlet.monkey_patch()` (or `eventlet.patcher.monkey_patch()`, or a
 * `monkey_patch` imported from eventlet) running when a module is imported, in a module of an OpenStack service
 * that its WSGI entry point imports: the package __init__.py, api/, wsgi/, common/, wsgi*.py (paths.ts).
 *
 * Why: under mod_wsgi or uWSGI that turns the whole API process into an eventlet app. It must then run with one
 * thread per process, and its oslo.messaging heartbeat is a greenthread that starves between requests: RabbitMQ
 * drops the connection and RPC fails with "Timed out waiting for a reply" (LP 1829062, nova-api from Stein).
 */
import type { Rule } from '../../src/model/rule.js';
import type { PythonNode } from '../../src/model/ast/python.js';
import { allImports, importBindings, resolveName } from '../../src/settings/python-imports.js';
import { callsIn, descendantsOfType, moduleLevelStatements, pythonRange } from '../../src/settings/python-tree.js';
import { APP_FACTORY, EXEMPT, EXEMPT_NOVA, IMPORTED_BY_WSGI, PATCH_CALLS, projectModule } from './paths.js';

const rule: Rule = {
  meta: {
    id: 'eventlet-patch-in-wsgi-import',
    description: 'eventlet monkey-patching runs at import time in a module that an OpenStack WSGI entry point imports',
    severity: 'warning',
    kinds: ['python'],
    references: [
      'https://bugs.launchpad.net/nova/+bug/1829062',
      'https://docs.openstack.org/releasenotes/nova/stein.html',
      'https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html',
    ],
  },
  check(context) {
    for (const file of context.files) {
      if (file.kind !== 'python' || !file.text.includes('monkey_patch')) continue;
      const where = projectModule(file.path);
      if (!where || !IMPORTED_BY_WSGI.some((p) => p.test(where.module))) continue;
      if (EXEMPT.some((p) => p.test(where.module))) continue;
      if (where.project === 'nova' && EXEMPT_NOVA.some((p) => p.test(where.module))) continue;
      const root = file.tree.root;
      const bindings = importBindings(allImports(root));
      const patches = (node: PythonNode, enter: boolean): PythonNode[] =>
        callsIn(node, { enterDefinitions: enter })
          .filter((c) => c.callee !== undefined && PATCH_CALLS.includes(resolveName(c.callee, bindings)))
          .map((c) => c.node);
      // What runs at import time, and what runs when the entry point builds the application.
      const atImport = moduleLevelStatements(root).flatMap((s) => patches(s, false).map((node) => ({ node, when: 'import' as const })));
      const factories = descendantsOfType(root, ['function_definition']).filter((n) => APP_FACTORY.test(n.childForFieldName('name')?.text ?? ''));
      const inFactory = factories.flatMap((fn) =>
        patches(fn, false).map((node) => ({ node, when: fn.childForFieldName('name')?.text ?? 'the app factory' })),
      );
      for (const { node, when } of [...atImport, ...inFactory]) {
        context.report({
          path: file.path,
          range: pythonRange(file, node),
          message: message(where.project, where.module, node.childForFieldName('function')?.text ?? 'monkey_patch', when),
        });
      }
    }
  },
};
export default rule;

function message(project: string, module: string, call: string, when: string): string {
  const runs = when === 'import' ? `when ${project}/${module} is imported` : `in ${when}(), which builds the WSGI application`;
  const fix =
    project === 'nova'
      ? 'In nova, patching belongs in nova.monkey_patch, imported first by the entry module (nova-monkey-patch-first).'
      : `Patch in the eventlet service's own cmd/ entry point instead; if the API really needs eventlet, run it with ` +
        `threads=1 per process under mod_wsgi/uWSGI and scale with processes.`;
  return (
    `${call}() runs ${runs}, and ${project}'s WSGI entry point imports that module: under mod_wsgi or uWSGI the whole ` +
    `API process becomes an eventlet app. It then needs one thread per process, and its oslo.messaging heartbeat is ` +
    `a greenthread that starves between requests, so RabbitMQ drops the connection and RPC calls fail with "Timed ` +
    `out waiting for a reply" (LP 1829062). ${fix}`
  );
}
