export * from './format';
export { FORMATS, formatById, sniffFormat, MIN_SNIFF_CONFIDENCE, type SniffResult } from './registry';
export { parseNetfilter, compactIpv6 } from './netfilter';
export { parseSyslogEnvelope, type SyslogEnvelope } from './syslog-envelope';
export { parseSyslogLine } from './syslog';
export { parseAccessLine, parseClfTime, setUrlFields } from './web-access';
