/**
 * oslo.config files -> settings (`[oslo_messaging_rabbit] heartbeat_timeout_threshold = 0`).
 * The service is the one whose file it is (nova.conf -> every nova service, openvswitch_agent.ini -> the OVS
 * agent); a file knowledge cannot place gets service `?`, which reaches no known service.
 *
 * Keys this extractor produces (rules/knowledge/ini.yaml `options`):
 * - `rabbit.heartbeat_timeout_threshold`, `rabbit.heartbeat_in_pthread`, `rabbit.heartbeat_rate`:
 *   `[oslo_messaging_rabbit]` options of any oslo.config file;
 * - `rabbitmq.tcp_keepalive` (service `rabbitmq`): `tcp_listen_options.keepalive` of RabbitMQ's own
 *   `rabbitmq.conf`, whose `key = value` lines sit before any section header (section name `''`).
 */
import type { Knowledge } from '../model/knowledge.js';
import type { Setting, Value } from '../model/setting.js';
import type { IniFile, IniOption } from '../model/ast/ini.js';

export function extractIni(path: string, tree: IniFile, knowledge: Knowledge): Setting[] {
  const service = knowledge.iniFileService(path) ?? '?';
  const out: Setting[] = [];
  for (const section of tree.sections) {
    for (const option of section.options) {
      const key = knowledge.iniOption(section.name, option.name.trim());
      if (!key) continue;
      out.push({
        key,
        service,
        value: iniValue(option),
        path,
        range: option.valueRange,
        via: `[${section.name}] ${option.name}`,
      });
    }
  }
  return out;
}

/** INI values are strings; templated ones are expressions (rules read numbers and booleans from strings). */
export function iniValue(option: IniOption): Value {
  return option.templated ? { kind: 'expression', text: option.value } : { kind: 'literal', value: option.value };
}
