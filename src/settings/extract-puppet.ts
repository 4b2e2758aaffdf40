/**
 * Puppet manifests -> settings, from:
 * - parameter defaults of the classes knowledge knows (`class nova::wsgi::apache_api ($threads = $::os_workers)`),
 * - resource-like class declarations (`class { 'nova::wsgi::apache_api': threads => 4 }`),
 * - known defines (`openstacklib::wsgi::apache { 'nova_api_wsgi': ... }`, `oslo::messaging::rabbit { 'nova_config': }`),
 * - `*_config` resources (`nova_config { 'oslo_messaging_rabbit/heartbeat_timeout_threshold': value => 0 }`).
 * A value that is a parameter of an enclosing known class is skipped: that class's default is the setting.
 *
 * Keys produced here and nowhere else:
 * - `apache.mpm_class` (service `httpd`, value `event` | `worker` | `prefork` | `itk` | `peruser`): a declaration of
 *   puppetlabs-apache's MPM class, `include|contain|require apache::mod::event` or
 *   `class { 'apache::mod::event': ... }`. Each MPM class `fail()`s when another one is declared on the node.
 * - `apache.package_ensure` (service `httpd`): `ensure` of `package { 'httpd': }` / `package { 'apache2': }`, the
 *   version pin of the web server package (hiera `apache::package_ensure` gives the same key through knowledge).
 */
import type {
  AttributeOperation, CallNamedFunction, Expression, Parameter, PuppetProgram, ResourceExpression,
} from '../model/ast/puppet.js';
import type { Knowledge, PuppetClassKnowledge } from '../model/knowledge.js';
import type { ServiceId, Setting } from '../model/setting.js';
import { puppetValue, type PuppetScope } from './puppet-value.js';
import { settingsFromCustomOptions } from './custom-wsgi-options.js';

interface Walk {
  path: string;
  knowledge: Knowledge;
  text: string;
  out: Setting[];
}

interface Enclosing {
  params: ReadonlyMap<string, Parameter>;
  /** The enclosing class is known, so its defaults were already recorded as settings. */
  known: boolean;
}

const NO_PARAMS: Enclosing = { params: new Map(), known: false };

export function extractPuppet(path: string, text: string, tree: PuppetProgram, knowledge: Knowledge): Setting[] {
  const walk: Walk = { path, knowledge, text, out: [] };
  visitAll(tree.body, NO_PARAMS, walk, 0);
  return walk.out;
}

function visitAll(nodes: readonly unknown[], enclosing: Enclosing, walk: Walk, depth: number): void {
  for (const node of nodes) visit(node, enclosing, walk, depth);
}

/** Generic descent: definitions open a new parameter scope; resources are read; everything else is searched. */
function visit(node: unknown, enclosing: Enclosing, walk: Walk, depth: number): void {
  if (!node || typeof node !== 'object' || depth > 200) return;
  if (Array.isArray(node)) return visitAll(node, enclosing, walk, depth + 1);
  const n = node as { type?: string };
  if (n.type === 'HostClassDefinition' || n.type === 'ResourceTypeDefinition') {
    const def = node as { name: string; parameters: Parameter[]; body: Expression[] };
    const cls = walk.knowledge.puppetClass(def.name);
    const inner: Enclosing = { params: new Map(def.parameters.map((p) => [p.name, p])), known: Boolean(cls?.service) };
    if (cls?.service) recordDefaults(def.name, cls, inner, walk);
    return visitAll(def.body, inner, walk, depth + 1);
  }
  if (n.type === 'ResourceExpression') readResource(node as ResourceExpression, enclosing, walk);
  if (n.type === 'CallNamedFunction') readMpmInclude(node as CallNamedFunction, walk);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'range' && value && typeof value === 'object') visit(value, enclosing, walk, depth + 1);
  }
}

function recordDefaults(className: string, cls: PuppetClassKnowledge, enclosing: Enclosing, walk: Walk): void {
  for (const param of enclosing.params.values()) {
    const key = cls.params[param.name];
    if (!key || !param.default) continue;
    push(walk, cls, cls.service!, key, param.default, `default of ${className}::${param.name}`, { ...enclosing, params: new Map() });
  }
}

function readResource(res: ResourceExpression, enclosing: Enclosing, walk: Walk): void {
  const type = res.typeName.toLowerCase().replace(/^::/, '');
  for (const body of res.bodies) {
    const title = body.title.type === 'LiteralString' ? body.title.value : undefined;
    if (title === undefined) continue;
    const attrs = body.attributes.filter((a): a is AttributeOperation => a.type === 'AttributeOperation');
    if (type === 'class') {
      pushMpmClass(title, body.title.range, `class { '${title}': }`, walk);
      const cls = walk.knowledge.puppetClass(title);
      if (cls?.service) readAttributes(`class ${title}`, cls, cls.service, attrs, enclosing, walk);
      continue;
    }
    const define = walk.knowledge.puppetClass(type);
    if (define) {
      const service = define.service ?? serviceFrom(define, title, attrs, walk.knowledge);
      if (service) readAttributes(`${type} '${title}'`, define, service, attrs, enclosing, walk);
      continue;
    }
    const configService = walk.knowledge.configResourceService(type);
    if (configService) readConfigResource(type, title, configService, attrs, enclosing, walk);
    if (type === 'package' && HTTPD_PACKAGES.has(title)) {
      const ensure = attrs.find((a) => a.name === 'ensure');
      if (ensure) walk.out.push(base(walk, 'httpd', 'apache.package_ensure', ensure.value, `package '${title}' ensure`, enclosing));
    }
  }
}

/** Package names of the Apache web server (Red Hat / SUSE `httpd`, Debian `apache2`). */
const HTTPD_PACKAGES = new Set(['httpd', 'apache2']);

const MPM_CLASS = /^(?:::)?apache::mod::(event|worker|prefork|itk|peruser)$/i;
const INCLUDE_LIKE = new Set(['include', 'contain', 'require']);

/** `include apache::mod::event`, `contain '::apache::mod::prefork'`: a declaration of an MPM class. */
function readMpmInclude(call: CallNamedFunction, walk: Walk): void {
  if (!INCLUDE_LIKE.has(call.name)) return;
  for (const arg of call.arguments) {
    const name = arg.type === 'QualifiedName' || arg.type === 'LiteralString' ? arg.value : undefined;
    if (name !== undefined) pushMpmClass(name, arg.range, `${call.name} ${name}`, walk);
  }
}

function pushMpmClass(className: string, range: Setting['range'], via: string, walk: Walk): void {
  const mpm = MPM_CLASS.exec(className.trim())?.[1];
  if (mpm === undefined) return;
  walk.out.push({ key: 'apache.mpm_class', service: 'httpd', value: { kind: 'literal', value: mpm.toLowerCase() }, path: walk.path, range, via });
}

function readAttributes(
  owner: string, cls: PuppetClassKnowledge, service: ServiceId, attrs: AttributeOperation[], enclosing: Enclosing, walk: Walk,
): void {
  for (const attr of attrs) {
    const key = cls.params[attr.name];
    if (!key) continue;
    // `threads => $threads` inside nova::wsgi::apache_api: the class default already is the setting.
    if (enclosing.known && attr.value.type === 'VariableExpression' && enclosing.params.has(attr.value.name)) continue;
    const setting = push(walk, cls, service, key, attr.value, `${owner} ${attr.name}`, enclosing);
    if (key === 'wsgi.custom_options' && attr.value.type === 'LiteralHash') {
      const scope = scopeOf(walk, enclosing);
      for (const entry of attr.value.entries) {
        if (entry.key.type !== 'LiteralString') continue;
        walk.out.push(
          ...settingsFromCustomOptions(entry.key.value, puppetValue(entry.value, scope), {
            ...setting,
            range: entry.value.range,
            via: `${owner} custom_wsgi_process_options '${entry.key.value}'`,
          }),
        );
      }
    }
  }
}

/** `nova_config { 'oslo_messaging_rabbit/heartbeat_timeout_threshold': value => 0 }`, `*_uwsgi_config { 'uwsgi/threads': }`. */
function readConfigResource(
  type: string, title: string, service: ServiceId, attrs: AttributeOperation[], enclosing: Enclosing, walk: Walk,
): void {
  const slash = title.indexOf('/');
  if (slash <= 0) return;
  const section = title.slice(0, slash);
  const option = title.slice(slash + 1);
  const key = section === 'uwsgi' ? walk.knowledge.uwsgiOption(option) : walk.knowledge.iniOption(section, option);
  const value = attrs.find((a) => a.name === 'value');
  if (!key || !value) return;
  const setting = base(walk, service, key, value.value, `${type} '${title}'`, enclosing);
  if (section === 'uwsgi') setting.server = 'uwsgi';
  walk.out.push(setting);
}

function serviceFrom(define: PuppetClassKnowledge, title: string, attrs: AttributeOperation[], k: Knowledge): ServiceId | undefined {
  for (const source of define.serviceFrom ?? []) {
    const attr = attrs.find((a) => a.name === source);
    const name = source === 'title' ? title : attr?.value.type === 'LiteralString' ? attr.value.value : undefined;
    if (!name) continue;
    const service = k.wsgiDaemonService(name) ?? k.configResourceService(name);
    if (service) return service;
  }
  return undefined;
}

function push(
  walk: Walk, cls: PuppetClassKnowledge, service: ServiceId, key: string, expr: Expression, via: string, enclosing: Enclosing,
): Setting {
  const setting = base(walk, service, key, expr, via, enclosing);
  if (cls.server) setting.server = cls.server;
  if (cls.scope) setting.scope = cls.scope;
  walk.out.push(setting);
  return setting;
}

function base(walk: Walk, service: ServiceId, key: string, expr: Expression, via: string, enclosing: Enclosing): Setting {
  return { key, service, value: puppetValue(expr, scopeOf(walk, enclosing)), path: walk.path, range: expr.range, via };
}

function scopeOf(walk: Walk, enclosing: Enclosing): PuppetScope {
  return { text: walk.text, knowledge: walk.knowledge, params: enclosing.params };
}
