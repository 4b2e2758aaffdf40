/**
 * The engine gives each rule the settings of files of its kinds only: in a change with an oslo.config file and
 * oslo.messaging's own impl_rabbit.py, the Python option defaults (`default=2`, `default=False`) are code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import { settingsByKinds } from '../../src/engine/settings-by-kinds.js';
import { parseFile } from '../../src/parsers/parse-file.js';
import { extractSettings } from '../../src/settings/extract-settings.js';
import type { ParsedFile } from '../../src/model/parsed-file.js';

const IMPL_RABBIT = [
  'from oslo_config import cfg',
  '',
  'rabbit_opts = [',
  "    cfg.BoolOpt('heartbeat_in_pthread', default=False, help='x'),",
  "    cfg.IntOpt('heartbeat_rate', default=2, help='y'),",
  ']',
  '',
].join('\n');
const NOVA_CONF = '[oslo_messaging_rabbit]\nheartbeat_rate = 1\nheartbeat_in_pthread = false\n';

test('settingsByKinds keeps the settings of files of the given kinds, memoised per kind set', () => {
  const files = [parseFile('oslo_messaging/_drivers/impl_rabbit.py', IMPL_RABBIT), parseFile('etc/nova/nova.conf', NOVA_CONF)];
  const parsed = files.filter((f): f is ParsedFile => f.kind !== 'unknown');
  const settings = extractSettings(parsed, loadKnowledge());
  assert.ok(settings.some((s) => s.path.endsWith('.py')), 'the Python defaults are settings');
  const view = settingsByKinds({ settings, files: parsed });
  assert.deepEqual([...new Set(view(['ini']).map((s) => s.path))], ['etc/nova/nova.conf']);
  assert.equal(view(['ini']), view(['ini']), 'the same array for the same kinds');
  assert.equal(view(['python', 'ini']), settings, 'all kinds present: the settings themselves');
  assert.deepEqual(view(['apache']), []);
});

test('a change with a config file and oslo.messaging code: only the config file is judged', async () => {
  const result = review(
    {
      files: [
        { path: 'oslo_messaging/_drivers/impl_rabbit.py', status: 'added', newContent: IMPL_RABBIT },
        { path: 'etc/nova/nova.conf', status: 'added', newContent: NOVA_CONF },
      ],
      wholeFiles: true,
    },
    await loadRules(),
    loadKnowledge(),
    { release: '2025.2' },
  );
  const mine = ['heartbeat-rate-pins', 'pthread-option-lifecycle'];
  const found = result.findings.filter((f) => mine.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.path}:${f.line}`);
  assert.deepEqual(found.sort(), ['heartbeat-rate-pins etc/nova/nova.conf:2', 'pthread-option-lifecycle etc/nova/nova.conf:3']);
});
