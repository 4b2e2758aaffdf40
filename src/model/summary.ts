/**
 * The effective concurrency picture of a change: per service touched, how it will run, derived from the
 * settings seen. Unknown stays unknown (`undefined`), never guessed. Shown by the CLI (`--explain`), the JSON
 * (`summary`), the GitHub check run and the Gerrit summary message.
 */
import type { ServiceId } from './setting.js';

/** A value and where it came from (`nova::wsgi::apache_api::threads (hiera)`, `mod_wsgi default`). */
export interface Sourced<T> {
  value: T;
  from: string;
}

export interface ConcurrencyRow {
  service: ServiceId;
  /** mod_wsgi / uWSGI when a WSGI setting names it; eventlet for a standalone eventlet service. */
  server?: Sourced<'mod_wsgi' | 'uwsgi' | 'eventlet'>;
  processes?: Sourced<string>;
  threads?: Sourced<string>;
  /** Whether the service is eventlet-patched in the target release (from knowledge and the release). */
  eventletPatched?: boolean;
  heartbeat?: Sourced<'greenthread' | 'pthread' | 'disabled'>;
  /** heartbeat_timeout_threshold in seconds, as written or the oslo.messaging default. */
  heartbeatThreshold?: Sourced<string>;
}
