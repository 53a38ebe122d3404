import type { EventFields } from '../model/event';
import { type LineResult, type LogFormat, type ParseContext, unparsed } from './format';
import { SYSLOG_MESSAGE_PARSERS } from './syslog-messages';
import { parseSyslogEnvelope } from './syslog-envelope';

/**
 * Syslog-family files: /var/log/syslog, kern.log, ufw.log, auth.log and journalctl text output as
 * sos saves it. The envelope is parsed here; messages that carry structure of their own are
 * parsed by their message parser (syslog-messages.ts) and take that parser's dataset.
 */
export function parseSyslogLine(line: string, referenceTime: number): LineResult {
  const envelope = parseSyslogEnvelope(line, referenceTime);
  if (envelope === undefined) return unparsed('no syslog timestamp and host at the start of the line');
  let dataset = envelope.program === 'kernel' ? 'kernel' : 'syslog';
  let fields: EventFields = {};
  for (const parser of SYSLOG_MESSAGE_PARSERS) {
    if (!parser.accepts(envelope.program)) continue;
    const parsed = parser.parse(envelope);
    if (parsed !== undefined) {
      dataset = parsed.dataset;
      fields = parsed.fields;
      break;
    }
  }
  fields['host.name'] = envelope.host;
  if (envelope.program !== '') fields['process.name'] = envelope.program;
  if (envelope.pid !== undefined) fields['process.pid'] = envelope.pid;
  if (envelope.uptime !== undefined) fields['host.uptime'] = envelope.uptime;
  // A message parser may have cut the message to its own text (after `[level]`); keep that.
  if (fields['message'] === undefined) fields['message'] = envelope.message;
  return { kind: 'event', timestamp: envelope.timestamp, dataset, fields, inferred: envelope.inferred };
}

const SYSLOG_PATH = /(^|\/)(syslog|kern\.log|ufw\.log|auth\.log|messages|daemon\.log|journalctl_[^/]*)(\.\d+)?(\.gz)?$/;

export const syslogFormat: LogFormat = {
  id: 'syslog',
  title: 'Syslog and journal text',
  family: 'system',
  description:
    'rsyslog traditional (RFC 3164) and RFC 3339 lines, journalctl short/short-precise/short-iso; kernel netfilter ' +
    'LOG lines (UFW BLOCK/ALLOW/AUDIT/LIMIT, iptables prefixes) become firewall events.',
  sniff({ path, lines }) {
    if (lines.length === 0) return 0;
    const reference = Date.UTC(2100, 0, 1);
    let hits = 0;
    for (const line of lines) if (parseSyslogEnvelope(line, reference) !== undefined) hits++;
    const ratio = hits / lines.length;
    return ratio === 0 ? 0 : Math.min(1, ratio * 0.9 + (SYSLOG_PATH.test(path) ? 0.1 : 0));
  },
  createParser(context: ParseContext) {
    return { parseLine: (line) => parseSyslogLine(line, context.referenceTime) };
  },
  samples: [
    {
      line: 'Jul 31 20:23:19 Team-Harmony kernel: [   43.132314] [UFW BLOCK] IN=eth0 OUT= MAC=b2:09:12:69:72:6f:84:b5:9c:f9:18:30:08:00 SRC=37.139.50.4 DST=104.131.169.143 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=54321 PROTO=TCP SPT=53172 DPT=8545 WINDOW=65535 RES=0x00 SYN URGP=0 ',
      dataset: 'ufw',
      fields: {
        'host.name': 'Team-Harmony',
        'event.action': 'block',
        'source.ip': '37.139.50.4',
        'destination.ip': '104.131.169.143',
        'source.port': 53172,
        'destination.port': 8545,
        'network.transport': 'tcp',
        'network.direction': 'inbound',
        'netfilter.tcp_flags': ['SYN'],
      },
    },
  ],
};
