// Frozen copy of src/core/formats/sudo.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';
import { AUTH_DATASET, authEvent } from './auth-common';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * sudo's own log lines: `alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls`, and
 * the refusals that put a reason first (`3 incorrect password attempts ; TTY=...`,
 * `user NOT in sudoers ; ...`, `command not allowed ; ...`). Its pam_unix lines go to pam-unix.
 */

export function parseSudo(text: string): ParsedFields | undefined {
  const message = text.trimStart();
  const colon = message.indexOf(' : ');
  if (colon <= 0) return undefined;
  const user = message.slice(0, colon);
  if (/\s/.test(user)) return undefined;
  const parts = message.slice(colon + 3).split(' ; ');
  const kv: Record<string, string> = {};
  let reason: string | undefined;
  for (const [i, part] of parts.entries()) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq) : '';
    if (/^[A-Z_]+$/.test(key)) {
      // COMMAND is last and may itself contain " ; ".
      if (key === 'COMMAND') {
        kv[key] = parts.slice(i).join(' ; ').slice(eq + 1);
        break;
      }
      kv[key] = part.slice(eq + 1);
    } else if (i === 0) {
      reason = part;
    } else {
      return undefined;
    }
  }
  if (kv['COMMAND'] === undefined && kv['TTY'] === undefined && reason === undefined) return undefined;
  const fields = authEvent('sudo', reason === undefined ? 'success' : 'failure', { 'user.name': user });
  fields['event.category'] = ['authentication', 'process'];
  if (reason !== undefined) {
    fields['event.reason'] = reason;
    const attempts = /^(\d+) incorrect password attempts?$/.exec(reason);
    if (attempts !== null) fields['sudo.failed_attempts'] = Number(attempts[1]);
  }
  if (kv['USER'] !== undefined) fields['user.target.name'] = kv['USER'];
  if (kv['GROUP'] !== undefined) fields['group.target.name'] = kv['GROUP'];
  if (kv['TTY'] !== undefined) fields['sudo.tty'] = kv['TTY'];
  if (kv['PWD'] !== undefined) fields['process.working_directory'] = kv['PWD'];
  if (kv['COMMAND'] !== undefined) fields['process.command_line'] = kv['COMMAND'];
  return fields;
}

export const sudoMessages: SyslogMessageParser = {
  id: 'sudo',
  accepts: (program) => program === 'sudo',
  parse(envelope) {
    const fields = parseSudo(envelope.message);
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};
