/** A report with every feature the formats render: two files, a suggestion, columns, a non-ASCII line, errors. */
import type { Report } from '../../src/formats/report.js';
import type { ConcurrencyRow } from '../../src/model/summary.js';

/** Two rows: one fully known, one with unknowns and the default threshold. */
export const SUMMARY: ConcurrencyRow[] = [
  {
    service: 'nova',
    heartbeat: { value: 'disabled', from: '[oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2' },
    heartbeatThreshold: { value: '0', from: '[oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2' },
  },
  {
    service: 'nova-api',
    server: { value: 'mod_wsgi', from: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1' },
    threads: { value: '4', from: 'nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1' },
    eventletPatched: true,
    heartbeat: { value: 'greenthread', from: 'nova 23 (wallaby) monkey-patches nova-api with eventlet' },
    heartbeatThreshold: { value: '60', from: 'oslo.messaging default' },
  },
];

export const HIERA = 'nova::wsgi::apache_api::threads: 4\n# héllo\nnova::rabbit: x\n';
export const NOVA_CONF = '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n';

export function sampleReport(): Report {
  return {
    findings: [
      {
        ruleId: 'nova-wsgi-threads-not-1',
        severity: 'error',
        path: 'hieradata/common.yaml',
        line: 1,
        endLine: 1,
        column: 1,
        endColumn: 35,
        message: 'nova-api runs under eventlet; more than one WSGI thread starves the AMQP heartbeat. Set threads to 1.',
        references: ['https://bugs.launchpad.net/nova/+bug/1829062'],
        suggestion: { line: 1, endLine: 1, replacement: 'nova::wsgi::apache_api::threads: 1' },
      },
      {
        ruleId: 'heartbeat-disabled',
        severity: 'warning',
        path: 'etc/nova/nova.conf',
        line: 2,
        endLine: 2,
        message: 'AMQP heartbeats are off, so dead connections go unnoticed.',
        references: ['https://bugs.launchpad.net/nova/+bug/856764'],
      },
      {
        ruleId: 'some-info',
        severity: 'info',
        path: 'hieradata/common.yaml',
        line: 2,
        endLine: 2,
        column: 5,
        endColumn: 8,
        message: 'An informational note.',
        references: [],
      },
    ],
    errors: [{ path: 'manifests/broken.pp', message: 'parse error at 3:7: unexpected }' }],
    skipped: [{ path: 'files/logo.png', reason: 'binary' }],
    stats: { files: 4, bytes: 1234, ms: 4.2345 },
    rules: [
      { id: 'heartbeat-disabled', description: 'AMQP heartbeats are turned off', severity: 'warning' },
      { id: 'nova-wsgi-threads-not-1', description: 'An eventlet-patched API runs with more than one WSGI thread', severity: 'error' },
    ],
    contents: new Map([
      ['hieradata/common.yaml', HIERA],
      ['etc/nova/nova.conf', NOVA_CONF],
    ]),
    summary: SUMMARY,
  };
}
