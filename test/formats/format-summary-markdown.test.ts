/** formatSummaryMarkdown: the concurrency table for the GitHub check run and the Gerrit summary message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummaryMarkdown } from '../../src/formats/format-summary-markdown.js';
import { SUMMARY } from './sample-report.js';

test('a table of values, then where each came from, collapsed', () => {
  assert.equal(
    formatSummaryMarkdown(SUMMARY),
    [
      '#### Effective concurrency',
      '',
      '| service | server | processes | threads | eventlet | heartbeat | threshold |',
      '|---|---|---|---|---|---|---|',
      '| nova | ? | ? | ? | unknown | disabled | 0 |',
      '| nova-api | mod_wsgi | ? | 4 | patched | greenthread | 60 (default) |',
      '',
      '<details><summary>Where these values come from</summary>',
      '',
      '- **nova**',
      '  - heartbeat: [oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2',
      '  - threshold: [oslo_messaging_rabbit] heartbeat_timeout_threshold at etc/nova/nova.conf:2',
      '- **nova-api**',
      '  - server: nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1',
      '  - threads: nova::wsgi::apache_api::threads (hiera) at hieradata/common.yaml:1',
      '  - heartbeat: nova 23 (wallaby) monkey-patches nova-api with eventlet',
      '  - threshold: oslo.messaging default',
      '',
      '</details>',
      '',
    ].join('\n'),
  );
});

test('pipes in values cannot break the table; no rows, no text', () => {
  const out = formatSummaryMarkdown([{ service: 'x', threads: { value: '? (a|b)', from: 'f' } }]);
  assert.match(out, /\| x \| \? \| \? \| \? \(a\\\|b\) \|/);
  assert.equal(formatSummaryMarkdown([]), '');
});
