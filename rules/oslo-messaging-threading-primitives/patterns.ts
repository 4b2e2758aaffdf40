/**
 * Data for oslo-messaging-threading-primitives: which files, which names, which constructors. Documented in
 * README.md ("What it looks for").
 */

/** oslo.messaging driver code: every module under oslo_messaging/_drivers/, and oslo_messaging/_utils.py. */
export const DRIVER_PATH = /(?:^|\/)oslo_messaging\/(?:_drivers\/.+|_utils)\.py$/;

/** Module globals that the pthread heartbeat swaps for the native modules. */
export const SWAPPED_MODULES = ['threading', 'queue'] as const;

/** Synchronisation objects whose class depends on which `threading` / `queue` the module global is at the time. */
export const PRIMITIVES: Readonly<Record<(typeof SWAPPED_MODULES)[number], readonly string[]>> = {
  threading: ['Lock', 'RLock', 'Condition', 'Semaphore', 'BoundedSemaphore', 'Event', 'Barrier'],
  queue: ['Queue', 'LifoQueue', 'PriorityQueue', 'SimpleQueue'],
};

/**
 * Modules whose globals another module swaps, for a change that touches them without the swapping module:
 * impl_rabbit's `Connection.__init__` assigns `amqpdriver.threading` and `amqpdriver.queue` from oslo.messaging
 * 14.3.0 (fd2381c7, LP 2009138; backported to stable/zed: Debian bookworm's 14.0.3 has it, hence 14.0) until the
 * pthread heartbeat was removed in 18.0.0 (624f8572).
 */
export const SWAPPED_ELSEWHERE: readonly { path: RegExp; names: readonly string[]; from: string; until: string }[] = [
  { path: /(?:^|\/)oslo_messaging\/_drivers\/amqpdriver\.py$/, names: ['threading', 'queue'], from: '14.0', until: '18.0' },
];

/** Calls that fetch the unpatched module behind eventlet's back. */
export const ORIGINAL_CALLS = ['eventlet.patcher.original'];

/** The two Event classes that LP 1518430 and the pthread heartbeat (22f240b8) swapped for each other. */
export const EVENT_CALLS = ['threading.Event', 'oslo_utils.eventletutils.Event'];

/** The heartbeat thread's body: no logging there while it may be a native thread in an eventlet process. */
export const HEARTBEAT_JOB = '_heartbeat_thread_job';

/** Callees that log: `LOG.warning(...)`, `logging.getLogger(...)`. */
export const LOGGING_CALL = /^(?:LOG|log|_LOG|LOGGER|logger|logging)\.\w+$/;

/** `a.b` < `c.d` as versions. */
export function versionBefore(a: string, b: string): boolean {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 !== b1 ? a1 < b1 : a2 < b2;
}
