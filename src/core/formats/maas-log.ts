import type { ParsedFields } from '../model/event';
import type { FormatSample } from './format';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * maas.log: the `maas` Python logger's messages, through MAAS's own rsyslogd (before 3.5:
 * `2022-09-29T15:00:16.553396-05:00 neuromancer maas.node: [info] fun-zebra: Status transition
 * from NEW to COMMISSIONING`), or through the journal with identifier `maas-log` (3.5+, MESSAGE
 * `maas.node: [info] ...`, see maas-journal.ts). The envelope is syslog's; this reads the tag
 * (`maas.node`, `maas.power`, `maas.interface`) and the message. Source: log-formats.md section 4.
 */

const LEVEL = /^\[(\w+)\] ?([^]*)$/;
const TRANSITION = /^(\S+): Status transition from (\S+) to (\S+)$/;
const ALLOCATED = /^(\S+): allocated to user (\S+)$/;
const POWER = /^Chang(ing|ed) power state \((\w+)\) of node: (\S+) \(([^)\s]+)\)$/;
const INTERFACE = /^(\S+) \((\w+)\) on (\S+): /;
const NODE_PREFIX = /^([a-zA-Z0-9][\w.-]*): /;

/** Fields of a maas.log message (after `[level] `), for logger `maas.<tag>`. */
export function maasLogMessageFields(logger: string, level: string, message: string): ParsedFields {
  const fields: ParsedFields = { 'log.logger': logger, 'log.level': level };
  let m: RegExpExecArray | null;
  if ((m = TRANSITION.exec(message)) !== null) {
    fields['maas.node.hostname'] = m[1]!;
    fields['maas.node.status_from'] = m[2]!;
    fields['maas.node.status_to'] = m[3]!;
    fields['event.action'] = 'node-status-changed';
  } else if ((m = ALLOCATED.exec(message)) !== null) {
    fields['maas.node.hostname'] = m[1]!;
    fields['user.name'] = m[2]!;
    fields['event.action'] = 'node-allocated';
  } else if ((m = POWER.exec(message)) !== null) {
    fields['maas.power.state'] = m[2]!;
    fields['maas.node.hostname'] = m[3]!;
    fields['maas.node.system_id'] = m[4]!;
    fields['event.action'] = m[1] === 'ing' ? 'power-state-changing' : 'power-state-changed';
  } else if (logger === 'maas.interface' && (m = INTERFACE.exec(message)) !== null) {
    fields['maas.interface.name'] = m[1]!;
    fields['maas.interface.type'] = m[2]!;
    fields['maas.node.hostname'] = m[3]!;
  } else if (logger === 'maas.node' && (m = NODE_PREFIX.exec(message)) !== null) {
    fields['maas.node.hostname'] = m[1]!;
  }
  fields['message'] = message;
  return fields;
}

export const maasLogMessages: SyslogMessageParser = {
  id: 'maas-log',
  accepts: (program) => program === 'maas' || program.startsWith('maas.'),
  parse(envelope) {
    const m = LEVEL.exec(envelope.message);
    if (m === null) return undefined;
    return { dataset: 'maas.log', fields: maasLogMessageFields(envelope.program, m[1]!, m[2]!) };
  },
};

/** Whole maas.log lines (read by the syslog format) with the fields they must give. */
export const MAAS_LOG_SAMPLES: readonly FormatSample[] = [
  {
    line: '2022-09-29T15:00:16.553396-05:00 neuromancer maas.node: [info] fun-zebra: Status transition from NEW to COMMISSIONING',
    dataset: 'maas.log',
    timestamp: '2022-09-29T20:00:16.553Z',
    fields: {
      'host.name': 'neuromancer',
      'log.logger': 'maas.node',
      'log.level': 'info',
      'maas.node.hostname': 'fun-zebra',
      'maas.node.status_from': 'NEW',
      'maas.node.status_to': 'COMMISSIONING',
      'event.action': 'node-status-changed',
      message: 'fun-zebra: Status transition from NEW to COMMISSIONING',
    },
  },
  {
    line: '2022-09-29T16:14:21.793566-05:00 neuromancer maas.node: [info] fun-zebra: allocated to user case',
    dataset: 'maas.log',
    timestamp: '2022-09-29T21:14:21.793Z',
    fields: { 'maas.node.hostname': 'fun-zebra', 'user.name': 'case', 'event.action': 'node-allocated' },
  },
  {
    line: '2022-09-29T16:26:23.160687-05:00 neuromancer maas.power: [info] Changing power state (cycle) of node: fun-zebra (bk7mg8)',
    dataset: 'maas.log',
    timestamp: '2022-09-29T21:26:23.160Z',
    fields: { 'log.logger': 'maas.power', 'maas.power.state': 'cycle', 'maas.node.hostname': 'fun-zebra', 'maas.node.system_id': 'bk7mg8', 'event.action': 'power-state-changing' },
  },
];
