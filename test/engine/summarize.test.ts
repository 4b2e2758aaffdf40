/**
 * summarize(): the effective concurrency picture, as tables of changes -> rows. Each case runs real files through
 * review() (parsers and extractors included), so a row is what a user would see for that change.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/engine/review.js';
import type { FileChange } from '../../src/model/change-set.js';
import type { ConcurrencyRow } from '../../src/model/summary.js';
import { added, knowledge } from './helpers.js';

function rows(files: FileChange[], release?: string): ConcurrencyRow[] {
  return review({ files }, [], knowledge, release !== undefined ? { release } : {}).summary;
}

/** Values only, `?` for unknown, for compact tables. */
function brief(row: ConcurrencyRow): string[] {
  const show = (v: { value: string } | undefined) => v?.value ?? '?';
  return [
    row.service,
    show(row.server),
    show(row.processes),
    show(row.threads),
    row.eventletPatched === undefined ? '?' : String(row.eventletPatched),
    show(row.heartbeat),
    show(row.heartbeatThreshold),
  ];
}

const HIERA = added(
  'hieradata/common.yaml',
  ['nova::wsgi::apache_api::threads: 4', 'nova::wsgi::apache_api::workers: 2', ''].join('\n'),
);
const NOVA_CONF = added(
  'etc/nova/nova.conf',
  ['[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 30', 'heartbeat_in_pthread = false', ''].join('\n'),
);

describe('summarize', () => {
  const cases: [string, FileChange[], string | undefined, string[][]][] = [
    [
      'hiera threads + nova.conf heartbeat: the project settings fill in the daemon row, no nova row',
      [HIERA, NOVA_CONF],
      'wallaby',
      [['nova-api', 'mod_wsgi', '2', '4', 'true', 'greenthread', '30']],
    ],
    [
      'nova.conf alone: a row for the project, runtime unknown',
      [NOVA_CONF],
      'wallaby',
      [['nova', '?', '?', '?', '?', '?', '30']],
    ],
    [
      'Apache without threads=: the implicit mod_wsgi 15; heartbeat pthread by the 12.x default in wallaby',
      [added('etc/httpd/conf.d/10-nova_api_wsgi.conf', 'WSGIDaemonProcess nova-api processes=4 user=nova\n')],
      'wallaby',
      [['nova-api', 'mod_wsgi', '4', '15', 'true', 'pthread', '60']],
    ],
    [
      'uWSGI, zed: greenthread once oslo.messaging defaults to False again',
      [
        added(
          'etc/nova/nova-api-uwsgi.ini',
          ['[uwsgi]', 'module = nova.wsgi.osapi_compute:application', 'processes = 2', 'threads = 8', ''].join('\n'),
        ),
      ],
      'zed',
      [['nova-api', 'uwsgi', '2', '8', 'true', 'greenthread', '60']],
    ],
    [
      'threads from an expression: a known range is shown, an unknown one is ?',
      [
        added(
          'environments/nova.yaml',
          ['parameter_defaults:', '  ControllerExtraConfig:', '    nova::wsgi::apache_metadata::threads: "%{hiera(\'t\')}"', ''].join('\n'),
        ),
        added('manifests/api.pp', "class { 'nova::wsgi::apache_api': threads => $facts['os_workers'] }\n"),
      ],
      '2024.1',
      [
        ['nova-api', 'mod_wsgi', '?', "2..12 ($facts['os_workers'])", 'true', 'greenthread', '60'],
        ['nova-metadata', 'mod_wsgi', '?', "? (%{hiera('t')})", 'true', 'greenthread', '60'],
      ],
    ],
    [
      'heartbeat disabled (exactly 0) wins over pthread; a standalone eventlet service is eventlet',
      [
        added(
          'etc/neutron/plugins/ml2/openvswitch_agent.ini',
          ['[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 0', 'heartbeat_in_pthread = true', ''].join('\n'),
        ),
      ],
      '2024.1',
      [['neutron-openvswitch-agent', 'eventlet', '?', '?', 'true', 'disabled', '0']],
    ],
  ];
  for (const [name, files, release, expected] of cases) {
    it(name, () => assert.deepEqual(rows(files, release).map(brief), expected));
  }

  it('nova-api before and after nova 33: eventlet-patched in 2025.2, native threads in 2026.1', () => {
    const files = [HIERA];
    assert.deepEqual(rows(files, '2025.2').map(brief), [['nova-api', 'mod_wsgi', '2', '4', 'true', 'greenthread', '60']]);
    assert.deepEqual(rows(files, '2026.1').map(brief), [['nova-api', 'mod_wsgi', '2', '4', 'false', '?', '60']]);
  });

  it('says where every value came from', () => {
    const [row] = rows([HIERA, NOVA_CONF], 'wallaby');
    assert.deepEqual(
      {
        server: row?.server?.from,
        processes: row?.processes?.from,
        threads: row?.threads?.from,
        heartbeat: row?.heartbeat?.from,
        threshold: row?.heartbeatThreshold?.from,
      },
      {
        server: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1',
        processes: 'nova::wsgi::apache_api::workers (hiera) at hieradata/common.yaml:2',
        threads: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1',
        heartbeat:
          '[oslo_messaging_rabbit] heartbeat_in_pthread at etc/nova/nova.conf:3; nova 23 (wallaby) monkey-patches nova-api with eventlet',
        threshold: '[oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2',
      },
    );
    const [implicit] = rows([added('etc/httpd/conf.d/nova.conf', 'WSGIDaemonProcess nova-api user=nova\n')], 'wallaby');
    assert.equal(implicit?.threads?.from, "no threads= means mod_wsgi's default of 15 threads at etc/httpd/conf.d/nova.conf:1");
    assert.equal(implicit?.heartbeatThreshold?.from, 'oslo.messaging default');
  });

  it('a daemon setting wins over the project one, and disagreeing settings are named', () => {
    const files = [
      NOVA_CONF,
      added('etc/nova/nova-api.conf', ['[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 10', ''].join('\n')),
      added('hieradata/other.yaml', 'nova::wsgi::apache_api::threads: 1\n'),
      HIERA,
    ];
    const [row] = rows(files, 'wallaby');
    assert.equal(row?.heartbeatThreshold?.value, '10');
    assert.equal(row?.threads?.value, '1');
    assert.match(row?.threads?.from ?? '', /at hieradata\/other\.yaml:1 \(also 4 at hieradata\/common\.yaml:1\)$/);
  });

  it('a project setting scoped to another role does not fill in a daemon row of a different role', () => {
    const env = added(
      'environments/roles.yaml',
      [
        'parameter_defaults:',
        '  ComputeExtraConfig:',
        '    nova::rabbit_heartbeat_in_pthread: true',
        '  ControllerExtraConfig:',
        '    nova::wsgi::apache_api::threads: 1',
        '',
      ].join('\n'),
    );
    assert.deepEqual(rows([env], '2024.1').map(brief), [['nova-api', 'mod_wsgi', '?', '1', 'true', 'greenthread', '60']]);
  });

  it('shows no rows for changes without WSGI or heartbeat settings', () => {
    assert.deepEqual(rows([added('etc/nova/nova.conf', '[DEFAULT]\ndebug = true\n')]), []);
  });
});
