/**
 * Apache httpd configuration -> settings:
 * - `WSGIDaemonProcess <name> threads=N processes=M ...`: wsgi.threads / wsgi.processes of the service the daemon
 *   runs. A daemon without `threads=` runs mod_wsgi's default of 15 threads, recorded as an implicit setting.
 * - MPM sizing directives (`ThreadsPerChild`, `MaxRequestWorkers` ...): `apache.mpm.<directive>`, scoped by the
 *   enclosing `<IfModule mpm_event_module>` (`httpd:event`), or `httpd:any` outside one.
 * - `LoadModule mpm_event_module ...`: apache.mpm_module.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { Setting, Value } from '../model/setting.js';
import type { ApacheArgument, ApacheConfig, ApacheNode } from '../model/ast/apache.js';
import { keyValueArgs } from '../parsers/apache.js';

/** mod_wsgi's WSGIDaemonProcess default (processes-and-threading docs: "threads=num ... defaults to 15"). */
const MOD_WSGI_DEFAULT_THREADS = 15;

const MPM_DIRECTIVES = new Set([
  'threadsperchild', 'threadlimit', 'serverlimit', 'maxrequestworkers', 'maxclients', 'minsparethreads',
  'maxsparethreads', 'startservers', 'minspareservers', 'maxspareservers', 'maxconnectionsperchild',
  'maxrequestsperchild', 'asyncrequestworkerfactor',
]);

const MPM_MODULE = /^(?:mpm_)?(event|worker|prefork)(?:_module|\.c)$/i;

export function extractApache(path: string, tree: ApacheConfig, knowledge: Knowledge): Setting[] {
  const out: Setting[] = [];
  visit(tree.children, 'any', { path, knowledge, out });
  return out;
}

interface Walk {
  path: string;
  knowledge: Knowledge;
  out: Setting[];
}

function visit(nodes: readonly ApacheNode[], mpm: string, walk: Walk): void {
  for (const node of nodes) {
    if (node.type === 'section') {
      const inner = node.name.toLowerCase() === 'ifmodule' ? mpmOfCondition(node.args[0]?.value) ?? mpm : mpm;
      visit(node.children, inner, walk);
      continue;
    }
    const name = node.name.toLowerCase();
    if (name === 'wsgidaemonprocess') wsgiDaemon(node.args, node.range, walk);
    else if (MPM_DIRECTIVES.has(name) && node.args[0]) {
      walk.out.push({
        key: `apache.mpm.${name}`,
        service: 'httpd',
        value: argValue(node.args[0]),
        path: walk.path,
        range: node.args[0].range,
        via: `${node.name} (httpd)`,
        scope: `httpd:${mpm}`,
      });
    } else if (name === 'loadmodule' && node.args[0]) {
      const m = MPM_MODULE.exec(node.args[0].value);
      if (m) {
        walk.out.push({
          key: 'apache.mpm_module',
          service: 'httpd',
          value: { kind: 'literal', value: m[1]!.toLowerCase() },
          path: walk.path,
          range: node.args[0].range,
          via: `LoadModule ${node.args[0].value}`,
        });
      }
    }
  }
}

/** `mpm_event_module` / `event.c` -> `event`; a negated or other module keeps the enclosing scope. */
function mpmOfCondition(arg: string | undefined): string | undefined {
  if (!arg || arg.startsWith('!')) return undefined;
  return MPM_MODULE.exec(arg)?.[1]?.toLowerCase();
}

function wsgiDaemon(args: readonly ApacheArgument[], range: Setting['range'], walk: Walk): void {
  const name = args[0];
  if (!name) return;
  const options = keyValueArgs(args.slice(1));
  const display = options.get('display-name')?.value;
  const service =
    walk.knowledge.wsgiDaemonService(name.value) ??
    (display && !display.includes('%{') ? walk.knowledge.wsgiDaemonService(display) : undefined) ??
    '?';
  const base = { service, path: walk.path, server: 'mod_wsgi' as const };
  const threads = options.get('threads');
  if (threads) {
    walk.out.push({ ...base, key: 'wsgi.threads', value: optionValue(threads), range: threads.range, via: `WSGIDaemonProcess ${name.value} threads` });
  } else {
    walk.out.push({
      ...base,
      key: 'wsgi.threads',
      value: { kind: 'literal', value: MOD_WSGI_DEFAULT_THREADS },
      range,
      via: `WSGIDaemonProcess ${name.value}`,
      implicit: `no threads= means mod_wsgi's default of ${MOD_WSGI_DEFAULT_THREADS} threads`,
    });
  }
  const processes = options.get('processes');
  if (processes) {
    walk.out.push({ ...base, key: 'wsgi.processes', value: optionValue(processes), range: processes.range, via: `WSGIDaemonProcess ${name.value} processes` });
  }
}

function argValue(arg: ApacheArgument): Value {
  return arg.templated ? { kind: 'expression', text: arg.raw } : { kind: 'literal', value: arg.value };
}

function optionValue(option: { value: string; templated: boolean }): Value {
  return option.templated ? { kind: 'expression', text: option.value } : { kind: 'literal', value: option.value };
}
