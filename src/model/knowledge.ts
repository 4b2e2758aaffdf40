/**
 * Knowledge: which class parameter, hiera key, INI option, Apache or uWSGI option means which setting of which
 * service, and what is known about services and facts. Kept as YAML data in rules/knowledge/, loaded by
 * src/settings/load-knowledge.ts; these are the lookups extractors and rules use.
 */
import type { Scalar, ServiceId, SettingKey } from './setting.js';

/**
 * How a service runs, which decides what threads and heartbeat settings do to it:
 * - `eventlet-wsgi`: an eventlet-patched app under mod_wsgi/uWSGI (nova-api in nova 19-32)
 * - `eventlet`: a standalone eventlet service (nova-compute, neutron agents)
 * - `wsgi`: a WSGI app with no eventlet (keystone, horizon)
 * - `native`: native threads, no eventlet
 */
export type ServiceRuntime = 'eventlet-wsgi' | 'eventlet' | 'wsgi' | 'native';

export interface ServiceInfo {
  id: ServiceId;
  project: string;
  runtime: ServiceRuntime;
  /** Holds AMQP (oslo.messaging) connections. */
  amqp: boolean;
}

/** What a Puppet class/define parameter (and so its hiera key `<class>::<param>`) sets. */
export interface ParamMapping {
  key: SettingKey;
  service: ServiceId;
  server?: 'mod_wsgi' | 'uwsgi';
  scope?: string;
}

export interface PuppetClassKnowledge {
  name: string;
  /** Service the class configures; for defines like openstacklib::wsgi::apache it comes from a parameter. */
  service?: ServiceId;
  /** Parameters whose value names the service (tried in order), and finally the resource title. */
  serviceFrom?: string[];
  server?: 'mod_wsgi' | 'uwsgi';
  /** Setting scope for every parameter of the class, e.g. `puppetlabs-apache:event` for apache::mod::event. */
  scope?: string;
  params: Record<string, SettingKey>;
  /** Module defaults of those parameters, as written in the module (`1`, `$facts['os_workers']`). */
  defaults: Record<string, string | number | boolean>;
}

export interface FactRange {
  min?: number;
  max?: number;
  reason: string;
}

/** One OpenStack series from rules/knowledge/releases.yaml, oldest first. */
export interface SeriesInfo {
  series: string;
  novaMajor: number;
  osloMessaging: { min: string; max: string };
  puppetMajor: number;
}

/**
 * When an option or parameter appeared, was deprecated, removed, and what its default was from which version on.
 * `V` is a dotted version string (oslo.messaging `'14.9.0'`) or a major number (puppet-openstack `27`). Compare
 * with src/settings/version.ts.
 */
export interface Lifecycle<V extends string | number> {
  added?: V;
  deprecated?: V;
  removed?: V;
  /** Defaults in version order: each applies from `since` until the next one. */
  defaults: readonly { since: V; value: Scalar }[];
  /** Commits, renos and bugs the timeline comes from. */
  sources: readonly string[];
}

/** Which nova majors run nova-api / nova-metadata eventlet-patched under WSGI (domain-facts §3). */
export interface NovaEventletWsgi {
  /** First nova major that monkey-patches the WSGI apps (19, Stein). */
  firstPatched: number;
  /** First nova major that runs them in native threads by default (33, 2026.1). */
  firstNative: number;
}

/** A TripleO heat parameter that people write but THT never had (or never released). */
export interface MissingHeatParameter {
  name: string;
  /** What to write instead, quoted in messages. */
  instead: string;
  /** History worth telling (`existed only between THT 09cfcc14 and its revert c1269a64`). */
  note?: string;
}

export interface Knowledge {
  /** Every known series, oldest first; the last is the newest. */
  releases: readonly SeriesInfo[];
  novaEventletWsgi: NovaEventletWsgi;
  /** oslo.messaging option timeline by option name (`heartbeat_in_pthread`), in oslo.messaging versions. */
  osloMessagingOption(name: string): Lifecycle<string> | undefined;
  /**
   * puppet-openstack parameter timeline by `<class>::<param>` (`nova::rabbit_heartbeat_in_pthread`,
   * `oslo::messaging::rabbit::heartbeat_in_pthread`), in puppet-openstack majors.
   */
  puppetParameter(name: string): Lifecycle<number> | undefined;
  /** `NovaApiWsgiThreads` -> what to use instead; undefined for parameters THT has. */
  missingHeatParameter(name: string): MissingHeatParameter | undefined;
  /** Code names of numbered series, lower-case (`caracal` -> `2024.1`). */
  releaseAliases: ReadonlyMap<string, string>;
  services: ReadonlyMap<ServiceId, ServiceInfo>;
  /** The services a setting for `service` reaches: itself, or every service of a project. */
  servicesReached(service: ServiceId): ServiceInfo[];
  puppetClass(name: string): PuppetClassKnowledge | undefined;
  /** `nova::wsgi::apache_api::threads` -> mapping (hieradata, THT config_settings, ExtraConfig). */
  hieraKey(key: string): ParamMapping | undefined;
  /** `nova_config` -> `nova`: the service a `*_config` resource type writes for. */
  configResourceService(type: string): ServiceId | undefined;
  /** oslo.config option (`oslo_messaging_rabbit`, `heartbeat_timeout_threshold`) -> setting key. */
  iniOption(section: string, option: string): SettingKey | undefined;
  /** Service of an oslo.config file from its path (`etc/nova/nova.conf` -> `nova`). */
  iniFileService(path: string): ServiceId | undefined;
  /** Service of a mod_wsgi daemon (`WSGIDaemonProcess nova-api ...`) from its name or display-name. */
  wsgiDaemonService(name: string): ServiceId | undefined;
  /** uWSGI option (`threads`, `enable-threads`; `_` and `-` alike) -> setting key. */
  uwsgiOption(name: string): SettingKey | undefined;
  /** Service of a uWSGI app from its `module` / `wsgi-file` / `name`. */
  uwsgiAppService(value: string): ServiceId | undefined;
  /** Known range of a Puppet fact (`os_workers` -> min 2), by bare fact name. */
  factRange(name: string): FactRange | undefined;
  /** Mappings of TripleO heat parameters to hiera keys (`NovaWorkers` -> `nova::wsgi::apache_api::workers`). */
  heatParameterHieraKeys(name: string): string[];
}
