/**
 * Apache directives with the `<VirtualHost>` they sit in, and the mod_wsgi daemons they can reach, for rules
 * that relate directives to each other (WSGIIgnoreActivity and the daemon's inactivity-timeout). A
 * WSGIDaemonProcess declared in a virtual host serves that host; one declared outside any serves every host.
 */
import type { ApacheConfig, ApacheDirective, ApacheNode, ApacheSection } from '../model/ast/apache.js';
import { keyValueArgs, type KeyValueArg } from '../parsers/apache.js';

export interface ScopedDirective {
  directive: ApacheDirective;
  /** The innermost enclosing `<VirtualHost>`, if any. */
  vhost?: ApacheSection;
}

export interface WsgiDaemon extends ScopedDirective {
  name: string;
  /** `name=value` options, names lower-case. */
  options: ReadonlyMap<string, KeyValueArg>;
  /** Some templated argument is not `name=...` (`<%= @options %>`): the daemon's options are unknown. */
  opaque: boolean;
}

/** Every directive of the tree, in file order, with its virtual host. */
export function scopedDirectives(tree: ApacheConfig): ScopedDirective[] {
  const out: ScopedDirective[] = [];
  const walk = (nodes: readonly ApacheNode[], vhost: ApacheSection | undefined): void => {
    for (const node of nodes) {
      if (node.type === 'section') walk(node.children, node.name.toLowerCase() === 'virtualhost' ? node : vhost);
      else out.push(vhost ? { directive: node, vhost } : { directive: node });
    }
  };
  walk(tree.children, undefined);
  return out;
}

/** The WSGIDaemonProcess declarations among `directives`. */
export function wsgiDaemons(directives: readonly ScopedDirective[]): WsgiDaemon[] {
  return directives
    .filter((d) => d.directive.name.toLowerCase() === 'wsgidaemonprocess' && d.directive.args[0])
    .map((d) => {
      const rest = d.directive.args.slice(1);
      return {
        ...d,
        name: d.directive.args[0]!.value,
        options: keyValueArgs(rest),
        opaque: rest.some((a) => a.templated && !/^[A-Za-z][\w-]*=/.test(a.value)),
      };
    });
}

/** The daemons a directive can concern: its own host's and the global ones; every daemon for a global directive. */
export function daemonsReaching(at: ScopedDirective, daemons: readonly WsgiDaemon[]): WsgiDaemon[] {
  if (!at.vhost) return [...daemons];
  return daemons.filter((d) => d.vhost === undefined || d.vhost === at.vhost);
}
