/**
 * Data for eventlet-patch-in-wsgi-import: which modules a WSGI entry point imports, which files are exempt, and what
 * patches. A heuristic on paths, documented in README.md ("Which modules").
 */

/**
 * Python packages of OpenStack services that ship a WSGI API. swift is left out on purpose: its servers are
 * eventlet WSGI servers by design (swift/common/wsgi.py patches), not apps for mod_wsgi or uWSGI.
 */
export const PROJECTS: readonly string[] = [
  'nova', 'placement', 'cinder', 'neutron', 'glance', 'keystone', 'heat', 'ironic', 'ironic_inspector', 'manila',
  'octavia', 'designate', 'barbican', 'magnum', 'trove', 'zaqar', 'aodh', 'watcher', 'masakari', 'cyborg', 'senlin',
  'mistral', 'zun', 'blazar', 'cloudkitty', 'gnocchi', 'ceilometer', 'panko', 'vitrage', 'tacker', 'freezer_api',
  'searchlight', 'monasca_api', 'sahara', 'murano', 'karbor', 'solum', 'qinling', 'ec2api', 'venus', 'adjutant',
];

/**
 * Module paths, relative to the project package, that a WSGI entry point imports (directly or through the package
 * chain): the package's own __init__.py, the API and WSGI packages, shared `common` code, and any wsgi*.py.
 */
export const IMPORTED_BY_WSGI: readonly RegExp[] = [
  /^__init__\.py$/,
  /^api\//,
  /^wsgi\//,
  /^common\//,
  /(?:^|\/)wsgi[^/]*\.py$/,
];

/**
 * Not reported: tests; standalone services' command entry points (cmd/: nova-compute, neutron agents are eventlet
 * services by design); nova's own patching module and the nova entry modules, whose patching
 * nova-monkey-patch-first checks.
 */
export const EXEMPT: readonly RegExp[] = [
  /(?:^|\/)tests?\//,
  /(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest)\.py$/,
  /(?:^|\/)cmd\//,
];

export const EXEMPT_NOVA: readonly RegExp[] = [
  /^monkey_patch\.py$/,
  /^api\/openstack\/__init__\.py$/,
  /^api\/openstack\/wsgi_app\.py$/,
  /^api\/openstack\/compute\/wsgi\.py$/,
  /^api\/metadata\/wsgi\.py$/,
  /^wsgi\/[^/]+\.py$/,
];

/** Calls that monkey-patch, resolved through the file's imports (`from eventlet import monkey_patch` included). */
export const PATCH_CALLS: readonly string[] = ['eventlet.monkey_patch', 'eventlet.patcher.monkey_patch'];

/** Functions that WSGI entry points call while loading the app: a patch inside them runs under mod_wsgi too. */
export const APP_FACTORY = /^(?:init(?:ialize)?_app(?:lication)?|app_factory|application|create_app|make_app|setup_app|load_app)$/;

/** The project package and the module path inside it, from the last path component that names a project. */
export function projectModule(path: string): { project: string; module: string } | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    const project = parts[i] as string;
    if (PROJECTS.includes(project)) return { project, module: parts.slice(i + 1).join('/') };
  }
  return undefined;
}
