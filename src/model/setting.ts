/**
 * A setting is one fact about how a service is configured, whatever format it was written in:
 * `class { 'nova::wsgi::apache_api': threads => 4 }`, `nova::wsgi::apache_api::threads: 4` and
 * `WSGIDaemonProcess nova-api threads=4` all become `{ key: 'wsgi.threads', service: 'nova-api', value: 4 }`.
 */
import type { Range } from './location.js';

/** Dotted setting name from rules/knowledge, e.g. `wsgi.threads`, `rabbit.heartbeat_timeout_threshold`. */
export type SettingKey = string;

/**
 * Service identity from rules/knowledge/services.yaml: a daemon (`nova-api`, `nova-compute`), or a whole project
 * (`nova`) when the setting reaches every service of that project (nova.conf, `nova::rabbit_*`).
 */
export type ServiceId = string;

export type Scalar = string | number | boolean | null;

/**
 * Values stay honest: a literal is a literal; anything computed is an expression whose value is unknown unless
 * knowledge gives it a range (e.g. `$facts['os_workers']` is always >= 2) or the same change defines it.
 */
export type Value =
  | { kind: 'literal'; value: Scalar }
  | { kind: 'map'; entries: Record<string, Value> }
  | { kind: 'list'; items: Value[] }
  | {
      kind: 'expression';
      /** The expression as written: `$facts['os_workers']`, `{get_param: NovaWorkers}`, `<%= @threads %>`. */
      text: string;
      /** Known bounds, when knowledge gives them. */
      min?: number;
      max?: number;
      /** Why the bounds hold, quoted in messages: "os_workers is at least 2". */
      reason?: string;
    };

export interface Setting {
  key: SettingKey;
  service: ServiceId;
  value: Value;
  /** Repository-relative path, forward slashes. */
  path: string;
  /** Where the value is written; for an implicit default, the statement that implies it. */
  range: Range;
  /** How the setting was written, for messages: `nova::wsgi::apache_api::threads (hiera)`. */
  via: string;
  /** Set when the value is not written but is the server's or module's default ("mod_wsgi default"). */
  implicit?: string;
  /** The WSGI server the setting applies to, when it is about one. */
  server?: 'mod_wsgi' | 'uwsgi';
  /** Narrower scope, e.g. the TripleO role of `ComputeExtraConfig` (`Compute`), or a heat template's service. */
  scope?: string;
}
