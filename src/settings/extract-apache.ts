/**
 * Apache httpd configuration -> settings:
 * - `WSGIDaemonProcess <name> threads=N processes=M ...`: wsgi.threads / wsgi.processes of the service the daemon
 *   runs. A daemon without `threads=` runs mod_wsgi's default of 15 threads, recorded as an implicit setting.
 * - MPM sizing directives (`ThreadsPerChild`, `MaxRequestWorkers` ...): `apache.mpm.<directive>`, scoped by the
 *   enclosing `<IfModule mpm_event_module>` (`httpd:event`), or `httpd:any` outside one.
 * - `LoadModule mpm_event_module ...`: apache.mpm_module.
 * - the other WSGIDaemonProcess options in DAEMON_OPTIONS (custom-wsgi-options.ts): `wsgi.option.<name>`
 *   (`user`, `group`, `display-name`, and the recycling options `inactivity-timeout`, `request-timeout`,
 *   `restart-interval`, `maximum-requests`), in the order written, after threads and processes.
 * - `SetEnv <NAME> <value>` for the variables in REQUEST_ENV: `apache.setenv.<NAME>` of the service of the
 *   daemon in the same `<VirtualHost>` (else in the file). SetEnv fills the per-request WSGI environ, not the
 *   daemon's os.environ (mod_wsgi application-issues: "Application Environment Variables"), so this is not an
 *   `env.*` setting: nothing read at import time sees it.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { Setting, Value } from '../model/setting.js';
import type { ApacheArgument, ApacheConfig, ApacheNode } from '../model/ast/apache.js';
import { keyValueArgs } from '../parsers/apache.js';
import { daemonOptionKey, DAEMON_OPTIONS } from './custom-wsgi-options.js';

/** Environment variables whose `SetEnv` is a setting (`apache.setenv.<NAME>`). */
export const REQUEST_ENV: ReadonlySet<string> = new Set(['OS_NOVA_DISABLE_EVENTLET_PATCHING']);

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
  const walk = { path, knowledge, out };
  visit(tree.children, 'any', daemonServiceIn(tree.children, knowledge) ?? '?', walk);
  return out;
}

interface Walk {
  path: string;
  knowledge: Knowledge;
  out: Setting[];
}

function visit(nodes: readonly ApacheNode[], mpm: string, scopeService: string, walk: Walk): void {
  for (const node of nodes) {
    if (node.type === 'section') {
      const lower = node.name.toLowerCase();
      const inner = lower === 'ifmodule' ? mpmOfCondition(node.args[0]?.value) ?? mpm : mpm;
      const service = lower === 'virtualhost' ? daemonServiceIn(node.children, walk.knowledge) ?? scopeService : scopeService;
      visit(node.children, inner, service, walk);
      continue;
    }
    const name = node.name.toLowerCase();
    if (name === 'wsgidaemonprocess') wsgiDaemon(node.args, node.range, walk);
    else if (name === 'setenv' && node.args[0] && REQUEST_ENV.has(node.args[0].value)) {
      const variable = node.args[0].value;
      const arg = node.args[1];
      walk.out.push({
        key: `apache.setenv.${variable}`,
        service: scopeService,
        value: arg ? argValue(arg) : { kind: 'literal', value: '' },
        path: walk.path,
        range: arg?.range ?? node.args[0].range,
        via: `SetEnv ${variable}`,
        server: 'mod_wsgi',
      });
    }
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
  for (const [option, written] of options) {
    if (!DAEMON_OPTIONS.has(option)) continue;
    const key = daemonOptionKey(option)!;
    walk.out.push({ ...base, key, value: optionValue(written), range: written.range, via: `WSGIDaemonProcess ${name.value} ${option}` });
  }
}

/** The service of the first WSGIDaemonProcess / WSGIProcessGroup knowledge can place, searched depth-first. */
function daemonServiceIn(nodes: readonly ApacheNode[], knowledge: Knowledge): string | undefined {
  for (const node of nodes) {
    if (node.type === 'section') {
      if (node.name.toLowerCase() === 'virtualhost') continue;
      const inner = daemonServiceIn(node.children, knowledge);
      if (inner) return inner;
      continue;
    }
    const name = node.name.toLowerCase();
    if (name !== 'wsgidaemonprocess' && name !== 'wsgiprocessgroup') continue;
    const display = name === 'wsgidaemonprocess' ? keyValueArgs(node.args.slice(1)).get('display-name') : undefined;
    for (const candidate of [node.args[0], display]) {
      if (!candidate || candidate.templated) continue;
      const service = knowledge.wsgiDaemonService(candidate.value);
      if (service) return service;
    }
  }
  return undefined;
}

function argValue(arg: ApacheArgument): Value {
  return arg.templated ? { kind: 'expression', text: arg.raw } : { kind: 'literal', value: arg.value };
}

function optionValue(option: { value: string; templated: boolean }): Value {
  return option.templated ? { kind: 'expression', text: option.value } : { kind: 'literal', value: option.value };
}
