/** Finding messages of oslo-messaging-threading-primitives: what, why, what to do; "needs human review" throughout. */

const REVIEW = 'Needs human review';

export function globalMessage(name: string): string {
  return (
    `\`global ${name}\` lets this function rebind the module's \`${name}\` for the whole process, as oslo.messaging's ` +
    `heartbeat_in_pthread swap in Connection.__init__ does. Primitives the module creates afterwards are native, ` +
    `earlier ones stay green, and the heartbeat thread and the greenthreads end up sharing objects of the wrong kind: ` +
    `this broke nova-compute and neutron agents (LP 1934937) and needed fd2381c7 (LP 2009138). ${REVIEW}: pass the ` +
    `native module (_utils.stdlib_${name}) to the code that needs it instead of swapping a module global.`
  );
}

export function assignMessage(name: string, how: 'assign' | 'import', value: string): string {
  const what = how === 'import' ? `\`${name}\` is imported as ${value}` : `\`${name}\` is reassigned (${value})`;
  return (
    `${what}: every later \`${name}.X\` in this module, in every thread, now gets that module instead of the ` +
    `standard one, depending on import and call order. Mixed green and native primitives hang eventlet services ` +
    `(LP 1934937, LP 2009138). ${REVIEW}: keep \`${name}\` the standard module and use the native one explicitly where needed.`
  );
}

export function foreignMessage(target: string): string {
  return (
    `\`${target}\` is assigned from here: this swaps another module's global for the whole process. Its queues and ` +
    `locks created before this line ran stay green, later ones are native, and a reply waiter or lock shared between ` +
    `the native heartbeat and greenthreads then blocks or fails (LP 2009138, LP 1934937). ${REVIEW}: give the other ` +
    `module the primitives it needs rather than rebinding its imports.`
  );
}

export function originalMessage(call: string): string {
  return (
    `${call} fetches the unpatched module in an eventlet process: what it creates is native, blocks the eventlet hub ` +
    `when a greenthread waits on it, and raises "cannot switch to a different thread" when green objects are used ` +
    `from it (LP 1934937). ${REVIEW}: keep objects made this way private to one native thread.`
  );
}

export function eventSwapMessage(from: string, to: string): string {
  return (
    `The heartbeat's Event changes from ${from}() to ${to}(): threading.Event().wait() under eventlet busy-loops ` +
    `epoll through the patched time.sleep (LP 1518430, fixed by eventletutils.Event in a6c193f3), while a green ` +
    `Event cannot be waited on from a native heartbeat thread (22f240b8). ${REVIEW}: the Event must be of the kind ` +
    `of the thread that waits on it, in both heartbeat_in_pthread modes.`
  );
}

export function primitiveMessage(call: string, swappedBy: string, native: boolean): string {
  if (native) {
    return (
      `${call}() is a native primitive in an eventlet process: a greenthread that waits on it blocks the whole ` +
      `hub, heartbeat included (LP 1934937). ${REVIEW}: use it only from the native heartbeat thread.`
    );
  }
  return (
    `${call}() is created through the module global, which ${swappedBy} swaps for the native module when ` +
    `heartbeat_in_pthread is on: created before the first such connection it is green, after it native, so the ` +
    `heartbeat thread and the greenthreads may share a primitive of the wrong kind (a native lock blocks the ` +
    `eventlet hub; a green one cannot be woken from a native thread) (LP 1934937, LP 2009138). ${REVIEW}: create ` +
    `it from one explicit module, and only share it between threads of the same kind.`
  );
}

export function loggingMessage(call: string): string {
  return (
    `${call}() in _heartbeat_thread_job: when the heartbeat is a native thread in an eventlet process ` +
    `(heartbeat_in_pthread), logging takes locks that eventlet patched and nova-api hangs (eventlet #432; fixed in ` +
    `oslo.log 5.0.1, LP 1983863). ${REVIEW}: require oslo.log >= 5.0.1 wherever the pthread heartbeat is used, or ` +
    `keep logging out of the heartbeat thread.`
  );
}
