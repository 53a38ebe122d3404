import type { ParsedFields } from '../model/event';
import { dropbearMessages } from './dropbear';
import { maasJournalMessages } from './maas-journal';
import { maasLogMessages } from './maas-log';
import { parseNetfilterEvent } from './netfilter';
import { pamUnixMessages } from './pam-unix';
import { routerFirewallMessages } from './router-firewall';
import { sshdMessages } from './sshd';
import { suMessages } from './su';
import { sudoMessages } from './sudo';
import type { SyslogEnvelope } from './syslog-envelope';
import { apacheErrorMessages, nginxErrorMessages } from './web-error';

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
  parse(envelope: SyslogEnvelope): { readonly dataset: string; readonly fields: ParsedFields } | undefined;
}

export const netfilterMessages: SyslogMessageParser = {
  id: 'netfilter',
  accepts: (program) => program === 'kernel',
  parse: (envelope) => parseNetfilterEvent(envelope.message),
};

/** In order of trial. */
export const SYSLOG_MESSAGE_PARSERS: readonly SyslogMessageParser[] = [
  netfilterMessages,
  maasLogMessages,
  maasJournalMessages,
  // system.auth: PAM first, it also reads `pam_unix(sshd:auth)` and `sshd(pam_unix)` lines.
  pamUnixMessages,
  sshdMessages,
  dropbearMessages,
  sudoMessages,
  suMessages,
  apacheErrorMessages,
  nginxErrorMessages,
  routerFirewallMessages,
];
