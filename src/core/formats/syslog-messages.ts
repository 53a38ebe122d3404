import type { EventFields } from '../model/event';
import { maasJournalMessages } from './maas-journal';
import { maasLogMessages } from './maas-log';
import { findNetfilterBody, parseNetfilter } from './netfilter';
import type { SyslogEnvelope } from './syslog-envelope';

/**
 * Parsers of the message part of syslog-family lines (kernel netfilter logs, sshd, sudo, MAAS
 * services logging through the journal, ...). The first parser that returns fields wins and
 * gives the event its dataset. A new message format is one file plus one line in the list below.
 */
export interface SyslogMessageParser {
  readonly id: string;
  /** Cheap pre-check on the program name (SYSLOG_IDENTIFIER / tag), before any parsing. */
  accepts(program: string): boolean;
  /** ECS fields and the dataset, or undefined when the message is not of this kind. */
  parse(envelope: SyslogEnvelope): { readonly dataset: string; readonly fields: EventFields } | undefined;
}

export const netfilterMessages: SyslogMessageParser = {
  id: 'netfilter',
  accepts: (program) => program === 'kernel',
  parse(envelope) {
    if (findNetfilterBody(envelope.message) < 0) return undefined;
    const fields = parseNetfilter(envelope.message);
    if (fields === undefined) return undefined;
    const prefix = fields['netfilter.prefix'];
    return { dataset: typeof prefix === 'string' && prefix.startsWith('[UFW ') ? 'ufw' : 'iptables', fields };
  },
};

/** In order of trial. */
export const SYSLOG_MESSAGE_PARSERS: readonly SyslogMessageParser[] = [netfilterMessages, maasLogMessages, maasJournalMessages];
