/**
 * Data for nova-monkey-patch-first: which nova modules are entry modules, which of them must patch, what counts
 * as patching, and which imports may come before it. Documented in README.md ("Which files").
 */

export interface EntryModule {
  /** Path suffix, matched at a path component boundary (`/tmp/x/nova/cmd/__init__.py` matches `nova/cmd/__init__.py`). */
  path: RegExp;
  /**
   * nova majors (inclusive) in which the module must patch at module level. nova 3c5e2b0e (20.0.0 Train,
   * backported to 19.0.1 Stein) put `import nova.monkey_patch` first in nova/api/openstack/__init__.py and
   * nova/cmd/__init__.py; nova 33 (2026.1) moved patching into each entry module (`monkey_patch.patch(backend=...)`),
   * so from there a missing patch is not known to be wrong.
   */
  mustPatch?: { fromNova: number; toNova: number };
}

export const ENTRY_MODULES: readonly EntryModule[] = [
  { path: /(?:^|\/)nova\/api\/openstack\/__init__\.py$/, mustPatch: { fromNova: 19, toNova: 32 } },
  { path: /(?:^|\/)nova\/cmd\/__init__\.py$/, mustPatch: { fromNova: 19, toNova: 32 } },
  { path: /(?:^|\/)nova\/api\/openstack\/wsgi_app\.py$/ },
  { path: /(?:^|\/)nova\/api\/openstack\/compute\/wsgi\.py$/ },
  { path: /(?:^|\/)nova\/api\/metadata\/wsgi\.py$/ },
  { path: /(?:^|\/)nova\/wsgi\/[^/]+\.py$/ },
  { path: /(?:^|\/)nova\/cmd\/[^/]+\.py$/ },
];

/** Imports that patch by being imported (nova 19.0.1-32: nova/monkey_patch.py patches at import time). */
export const PATCHING_IMPORTS: readonly string[] = ['nova.monkey_patch'];

/** Calls that patch, fully resolved through the file's imports. */
export const PATCHING_CALLS: readonly string[] = [
  'nova.monkey_patch.patch',
  'nova.monkey_patch._monkey_patch',
  'nova.utils.monkey_patch',
  'eventlet.monkey_patch',
  'eventlet.patcher.monkey_patch',
];

/**
 * Modules that may be imported before the patch: what the patch itself needs (eventlet, nova.monkey_patch), and
 * modules that import nothing eventlet cares about (os, sys, traceback; nova.debugger "imports only sys", as
 * nova's own monkey_patch.py notes). Everything else (oslo.*, urllib3, nova.utils ...) may create sockets, locks
 * or threads, or keep references to unpatched modules.
 */
export const ALLOWED_BEFORE: readonly string[] = [
  '__future__',
  'nova.monkey_patch',
  'eventlet',
  'eventlet.patcher',
  'os',
  'sys',
  'traceback',
  'nova.debugger',
];
