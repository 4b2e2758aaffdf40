/**
 * Launchpad bugs the rules cite, with what the project knows of each (../shared/reference/domain-facts.md and the
 * rules' READMEs). Only 856764's title was read from Launchpad; for the others the reference notes record the
 * title as unverified, so the pages show a summary marked as such rather than invent a title.
 */
export interface LaunchpadBug {
  project: string;
  number: string;
  url: string;
  /** The Launchpad title when verified, else a summary of what the bug is about. */
  title: string;
  verified: boolean;
}

const KNOWN: Readonly<Record<string, { title: string; verified: boolean }>> = {
  '856764': { title: 'RabbitMQ connections lack heartbeat or TCP keepalives', verified: true },
  '1829062': { title: 'nova heartbeat and eventlet number of threads: an eventlet-patched WSGI app with more than one thread starves the AMQP heartbeat', verified: false },
  '1825584': { title: 'eventlet monkey-patching and the AMQP heartbeat under uWSGI', verified: false },
  '1934937': { title: 'the pthread heartbeat (heartbeat_in_pthread) breaks non-WSGI eventlet services', verified: false },
  '1961402': { title: 'heartbeat_in_pthread defaulting to true breaks eventlet services; default set back to false', verified: false },
  '2009138': { title: "amqpdriver's threading and queue not swapped for native ones with the pthread heartbeat", verified: false },
  '1518430': { title: 'threading.Event busy-loops under eventlet', verified: false },
  '1983863': { title: 'oslo.log: logging from eventlet native threads', verified: false },
  '1984076': { title: 'TripleO hardcodes rabbit_heartbeat_in_pthread: false', verified: false },
  '1808951': { title: 'urllib3 imported before nova monkey-patches eventlet', verified: false },
  '1808975': { title: 'nova API modules imported before eventlet monkey-patching', verified: false },
};

const LAUNCHPAD = /^https:\/\/bugs\.launchpad\.net\/([^/]+)\/\+bug\/(\d+)\/?$/;

/** The bug a Launchpad URL names (CONTRACTS.md §2 form), or undefined for any other URL. */
export function launchpadBug(url: string): LaunchpadBug | undefined {
  const m = LAUNCHPAD.exec(url);
  if (m === null) return undefined;
  const known = KNOWN[m[2]!];
  return {
    project: m[1]!,
    number: m[2]!,
    url,
    title: known?.title ?? '',
    verified: known?.verified ?? false,
  };
}
