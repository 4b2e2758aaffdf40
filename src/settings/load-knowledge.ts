/**
 * Loads rules/knowledge/*.yaml into the lookups of the Knowledge interface (src/model/knowledge.ts).
 * Knowledge is data so that adding a class, a daemon name or a series touches YAML, not code. The files ship
 * with the package; a malformed file is a packaging bug, so it fails loudly with the file and key named.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import picomatch from 'picomatch';
import type {
  FactRange,
  Knowledge,
  Lifecycle,
  MissingHeatParameter,
  NovaEventletWsgi,
  ParamMapping,
  PuppetClassKnowledge,
  SeriesInfo,
  ServiceInfo,
  ServiceRuntime,
} from '../model/knowledge.js';
import type { Scalar, ServiceId } from '../model/setting.js';

/** The raw YAML documents, by file name without extension. */
export type KnowledgeDocs = Record<'releases' | 'services' | 'puppet' | 'ini' | 'wsgi' | 'facts' | 'heat', unknown>;

const FILES = ['releases', 'services', 'puppet', 'ini', 'wsgi', 'facts', 'heat'] as const;

let cached: Knowledge | undefined;

/** The knowledge shipped with the package, read once per process. */
export function loadKnowledge(): Knowledge {
  cached ??= buildKnowledge(readKnowledgeDocs());
  return cached;
}

/**
 * The raw documents: from the JSON that `npm run build` compiles (parsing YAML costs more than the rest of a
 * small review's start-up), unless a YAML file is newer than it, as while editing knowledge.
 */
export function readKnowledgeDocs(): KnowledgeDocs {
  const dir = knowledgeDir();
  const compiled = compiledPath();
  if (existsSync(compiled)) {
    const built = statSync(compiled).mtimeMs;
    if (FILES.every((name) => statSync(`${dir}/${name}.yaml`).mtimeMs <= built)) {
      return JSON.parse(readFileSync(compiled, 'utf8')) as KnowledgeDocs;
    }
  }
  return parseKnowledgeYaml(dir);
}

/** Parses rules/knowledge/*.yaml. */
export function parseKnowledgeYaml(dir = knowledgeDir()): KnowledgeDocs {
  const docs = {} as KnowledgeDocs;
  for (const name of FILES) docs[name] = parse(readFileSync(`${dir}/${name}.yaml`, 'utf8'));
  return docs;
}

/** Where the build writes the compiled knowledge: dist/knowledge.json. */
export function compiledPath(): string {
  return fileURLToPath(new URL('../../knowledge.json', import.meta.url));
}

/** rules/knowledge relative to this module, whether running from dist/src/settings or src/settings. */
function knowledgeDir(): string {
  for (const rel of ['../../../rules/knowledge', '../../rules/knowledge']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/services.yaml`)) return dir;
  }
  throw new Error('heartbeat-bot: rules/knowledge not found next to the package');
}

/** Builds the lookups from parsed YAML; exported for tests that check the shipped data. */
export function buildKnowledge(docs: KnowledgeDocs): Knowledge {
  const releases = readReleases(docs.releases);
  const services = readServices(docs.services);
  const puppet = obj(docs.puppet, 'puppet');
  const classes = readClasses(obj(puppet['classes'], 'puppet.classes'));
  const rabbitParams = strMap(puppet['rabbitParams'], 'puppet.rabbitParams');
  for (const [cls, service] of Object.entries(strMap(puppet['rabbitClasses'], 'puppet.rabbitClasses'))) {
    const existing = classes.get(cls);
    const params = { ...(existing?.params ?? {}), ...rabbitParams };
    classes.set(cls, { name: cls, service, params, defaults: existing?.defaults ?? {} });
  }
  const configResources = strMap(puppet['configResources'], 'puppet.configResources');
  const ini = obj(docs.ini, 'ini');
  const iniOptions = strMap(ini['options'], 'ini.options');
  const uwsgiOptions = strMap(ini['uwsgi'], 'ini.uwsgi');
  const iniFiles = list(ini['files'], 'ini.files').map((e, i) => {
    const entry = obj(e, `ini.files[${i}]`);
    return { isMatch: picomatch(str(entry['match'], `ini.files[${i}].match`)), service: str(entry['service'], 'service') };
  });
  const wsgi = obj(docs.wsgi, 'wsgi');
  const daemons = readPatterns(wsgi['daemons'], 'wsgi.daemons');
  const uwsgiApps = readPatterns(wsgi['uwsgiApps'], 'wsgi.uwsgiApps');
  const facts = readFacts(obj(docs.facts, 'facts')['facts']);
  const heatParams = obj(obj(docs.heat, 'heat')['parameters'], 'heat.parameters');
  const missingHeat = readMissingHeat(obj(docs.heat, 'heat')['missing_parameters'] ?? {});
  const releaseDoc = obj(docs.releases, 'releases');
  const novaEventletWsgi = readNovaEventletWsgi(releaseDoc['nova_eventlet_wsgi']);
  const osloOptions = readLifecycles(releaseDoc['oslo_messaging_options'] ?? {}, 'releases.oslo_messaging_options', str);
  const puppetParams = [...readLifecycles(releaseDoc['puppet_parameters'] ?? {}, 'releases.puppet_parameters', num)].map(
    ([name, lifecycle]) => ({ re: globToRegExp(name), lifecycle }),
  );

  const byProject = new Map<string, ServiceInfo[]>();
  for (const s of services.values()) byProject.set(s.project, [...(byProject.get(s.project) ?? []), s]);

  const aliases = releaseDoc['aliases'] ?? {};
  const releaseAliases = new Map(Object.entries(strMap(aliases, 'releases.aliases')).map(([k, v]) => [k.toLowerCase(), v]));

  return {
    releases,
    releaseAliases,
    novaEventletWsgi,
    osloMessagingOption: (name) => osloOptions.get(name),
    puppetParameter: (name) => puppetParams.find((p) => p.re.test(stripTopScope(name)))?.lifecycle,
    missingHeatParameter: (name) => missingHeat.get(name),
    services,
    servicesReached(service: ServiceId): ServiceInfo[] {
      if (service === '*') return [...services.values()].filter((s) => s.amqp);
      const one = services.get(service);
      if (one) return [one];
      return byProject.get(service) ?? [];
    },
    puppetClass: (name) => classes.get(stripTopScope(name).toLowerCase()),
    hieraKey(key: string): ParamMapping | undefined {
      const k = stripTopScope(key);
      const cut = k.lastIndexOf('::');
      if (cut <= 0) return undefined;
      const cls = classes.get(k.slice(0, cut).toLowerCase());
      const settingKey = cls?.params[k.slice(cut + 2)];
      if (!cls || !settingKey || !cls.service) return undefined;
      const mapping: ParamMapping = { key: settingKey, service: cls.service };
      if (cls.server) mapping.server = cls.server;
      if (cls.scope) mapping.scope = cls.scope;
      return mapping;
    },
    configResourceService: (type) => configResources[type.toLowerCase()],
    iniOption(section: string, option: string) {
      const s = section === 'DEFAULT' ? section : section.toLowerCase();
      return iniOptions[`${s}/${option}`];
    },
    iniFileService(path: string) {
      const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.(j2|erb|epp|in|sample|example)$/, '');
      return iniFiles.find((f) => f.isMatch(base))?.service;
    },
    wsgiDaemonService: (name) => daemons.find((d) => d.re.test(name.trim()))?.service,
    uwsgiOption: (name) => uwsgiOptions[name.trim().toLowerCase().replaceAll('_', '-')],
    uwsgiAppService: (value) => uwsgiApps.find((d) => d.re.test(value.trim()))?.service,
    factRange: (name) => facts.get(name),
    heatParameterHieraKeys(name: string): string[] {
      const keys = heatParams[name];
      return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
    },
  };
}

function stripTopScope(name: string): string {
  return name.startsWith('::') ? name.slice(2) : name;
}

function readReleases(doc: unknown): SeriesInfo[] {
  return list(obj(doc, 'releases')['series'], 'releases.series').map((e, i) => {
    const r = obj(e, `releases.series[${i}]`);
    const om = obj(r['oslo_messaging'], `releases.series[${i}].oslo_messaging`);
    return {
      series: str(r['series'], `releases.series[${i}].series`),
      novaMajor: num(r['nova'], `releases.series[${i}].nova`),
      osloMessaging: { min: str(om['min'], 'oslo_messaging.min'), max: str(om['max'], 'oslo_messaging.max') },
      puppetMajor: num(r['puppet'], `releases.series[${i}].puppet`),
    };
  });
}

function readNovaEventletWsgi(doc: unknown): NovaEventletWsgi {
  const n = obj(doc, 'releases.nova_eventlet_wsgi');
  return {
    firstPatched: num(n['first_patched'], 'releases.nova_eventlet_wsgi.first_patched'),
    firstNative: num(n['first_native'], 'releases.nova_eventlet_wsgi.first_native'),
  };
}

/** Option or parameter timelines; `version` reads one version (a dotted string or a major number). */
function readLifecycles<V extends string | number>(
  doc: unknown,
  where: string,
  version: (v: unknown, where: string) => V,
): Map<string, Lifecycle<V>> {
  const out = new Map<string, Lifecycle<V>>();
  for (const [name, v] of Object.entries(obj(doc, where))) {
    const at = `${where}.${name}`;
    const e = obj(v, at);
    const lifecycle: Lifecycle<V> = {
      defaults: list(e['defaults'] ?? [], `${at}.defaults`).map((d, i) => {
        const entry = obj(d, `${at}.defaults[${i}]`);
        return { since: version(entry['since'], `${at}.defaults[${i}].since`), value: scalar(entry['value'], `${at}.defaults[${i}].value`) };
      }),
      sources: list(e['sources'] ?? [], `${at}.sources`).map((s, i) => str(s, `${at}.sources[${i}]`)),
    };
    for (const stage of ['added', 'deprecated', 'removed'] as const) {
      if (e[stage] !== undefined) lifecycle[stage] = version(e[stage], `${at}.${stage}`);
    }
    out.set(name, lifecycle);
  }
  return out;
}

function readMissingHeat(doc: unknown): Map<string, MissingHeatParameter> {
  const out = new Map<string, MissingHeatParameter>();
  for (const [name, v] of Object.entries(obj(doc, 'heat.missing_parameters'))) {
    const e = obj(v, `heat.missing_parameters.${name}`);
    const entry: MissingHeatParameter = { name, instead: str(e['instead'], `heat.missing_parameters.${name}.instead`) };
    if (e['note'] !== undefined) entry.note = str(e['note'], `heat.missing_parameters.${name}.note`);
    out.set(name, entry);
  }
  return out;
}

/** `*::rabbit_heartbeat_in_pthread` -> a regex where `*` is any class name. */
function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[a-z0-9_:]+');
  return new RegExp(`^${body}$`, 'i');
}

const RUNTIMES: readonly ServiceRuntime[] = ['eventlet-wsgi', 'eventlet', 'wsgi', 'native'];

function readServices(doc: unknown): Map<ServiceId, ServiceInfo> {
  const out = new Map<ServiceId, ServiceInfo>();
  for (const [id, v] of Object.entries(obj(obj(doc, 'services')['services'], 'services.services'))) {
    const s = obj(v, `services.${id}`);
    const runtime = str(s['runtime'], `services.${id}.runtime`) as ServiceRuntime;
    if (!RUNTIMES.includes(runtime)) throw new Error(`knowledge services.${id}.runtime: unknown runtime ${runtime}`);
    out.set(id, { id, project: str(s['project'], `services.${id}.project`), runtime, amqp: s['amqp'] === true });
  }
  return out;
}

function readClasses(doc: Record<string, unknown>): Map<string, PuppetClassKnowledge> {
  const out = new Map<string, PuppetClassKnowledge>();
  for (const [name, v] of Object.entries(doc)) {
    const c = obj(v, `puppet.classes.${name}`);
    const entry: PuppetClassKnowledge = {
      name,
      params: strMap(c['params'], `puppet.classes.${name}.params`),
      defaults: (c['defaults'] ?? {}) as Record<string, string | number | boolean>,
    };
    if (typeof c['service'] === 'string') entry.service = c['service'];
    if (Array.isArray(c['serviceFrom'])) entry.serviceFrom = c['serviceFrom'].map(String);
    if (c['server'] === 'mod_wsgi' || c['server'] === 'uwsgi') entry.server = c['server'];
    if (typeof c['scope'] === 'string') entry.scope = c['scope'];
    out.set(name, entry);
  }
  return out;
}

function readPatterns(doc: unknown, where: string): { re: RegExp; service: ServiceId }[] {
  return list(doc, where).map((e, i) => {
    const p = obj(e, `${where}[${i}]`);
    return { re: new RegExp(`^(?:${str(p['match'], `${where}[${i}].match`)})$`, 'i'), service: str(p['service'], 'service') };
  });
}

function readFacts(doc: unknown): Map<string, FactRange> {
  const out = new Map<string, FactRange>();
  for (const [name, v] of Object.entries(obj(doc, 'facts.facts'))) {
    const f = obj(v, `facts.${name}`);
    const range: FactRange = { reason: str(f['reason'], `facts.${name}.reason`) };
    if (typeof f['min'] === 'number') range.min = f['min'];
    if (typeof f['max'] === 'number') range.max = f['max'];
    out.set(name, range);
  }
  return out;
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new Error(`knowledge ${where}: expected a mapping`);
}
function list(v: unknown, where: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Error(`knowledge ${where}: expected a list`);
}
function str(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  throw new Error(`knowledge ${where}: expected a string`);
}
function num(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  throw new Error(`knowledge ${where}: expected a number`);
}
function scalar(v: unknown, where: string): Scalar {
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return v as Scalar;
  throw new Error(`knowledge ${where}: expected a scalar`);
}
function strMap(v: unknown, where: string): Record<string, string> {
  const o = obj(v, where);
  for (const [k, val] of Object.entries(o)) str(val, `${where}.${k}`);
  return o as Record<string, string>;
}
