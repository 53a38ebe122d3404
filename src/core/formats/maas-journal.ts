import type { EventFields } from '../model/event';
import { parseRegiondHttp } from './maas-service';
import { maasLogMessageFields } from './maas-log';
import { parseSquidAccess } from './squid-access';
import type { SyslogMessageParser } from './syslog-messages';
import { parseAccessLine } from './web-access';

/**
 * MAAS 3.5+ services logging through the journal (snap: pebble runs each as `systemd-cat -t
 * <identifier>`; deb: systemd units, regiond's identifier is `regiond`). The message is the old
 * regiond.log line without its time: `name: [level] message`, HTTP access lines included. maas-log
 * carries maas.log's `maas.node: [info] ...`, maas-proxy squid access lines, maas-http nginx lines.
 * The journal prints each stdout line as its own entry and turns a traceback's TAB into 8 spaces:
 * such entries are marked `maas.continued` (the syslog line parser has no continuation for them).
 * Source: log-formats.md sections 2 and 3.
 */

const DATASETS: Readonly<Record<string, string>> = {
  'maas-regiond': 'maas.regiond',
  regiond: 'maas.regiond',
  'maas-rackd': 'maas.rackd',
  rackd: 'maas.rackd',
  'maas-apiserver': 'maas.apiserver',
  'maas-log': 'maas.log',
  'maas-proxy': 'maas.proxy',
  'maas-http': 'maas.http',
  'maas-temporal': 'maas.temporal',
  'maas-temporal-worker': 'maas.temporal',
  'maas-agent': 'maas.agent',
};

const NAMED = /^(\S+?): \[([a-z-]+|[A-Z]+)\] ?([^]*)$/;

export function parseMaasJournalMessage(program: string, message: string): { dataset: string; fields: EventFields } | undefined {
  const dataset = DATASETS[program];
  if (dataset === undefined) return undefined;
  if (message.startsWith('\t') || message.startsWith('        ')) return { dataset, fields: { 'maas.continued': true } };
  if (dataset === 'maas.proxy') {
    const squid = parseSquidAccess(message);
    if (squid !== undefined) return { dataset, fields: squid.fields };
  }
  if (dataset === 'maas.http') {
    const access = parseAccessLine(message, dataset);
    if (access.kind === 'event') return { dataset, fields: access.fields };
  }
  const m = NAMED.exec(message);
  if (m === null) return { dataset, fields: {} };
  const [, name, level, text] = m as unknown as [string, string, string, string];
  if (dataset === 'maas.log') return { dataset, fields: maasLogMessageFields(name, level, text) };
  const fields: EventFields = parseRegiondHttp(text) ?? {};
  fields['log.logger'] = name;
  fields['log.level'] = level;
  fields['message'] = text;
  return { dataset, fields };
}

export const maasJournalMessages: SyslogMessageParser = {
  id: 'maas-journal',
  accepts: (program) => DATASETS[program] !== undefined,
  parse: (envelope) => parseMaasJournalMessage(envelope.program, envelope.message),
};
