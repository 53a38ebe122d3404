import { hasAt } from '../text/has-at';
import type { ParsedFields } from '../model/event';
import { AUTH_DATASET, authEvent } from './auth-common';
import { isPrintableAscii } from './sshd';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * sudo's own log lines: `alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls`, and
 * the refusals that put a reason first (`3 incorrect password attempts ; TTY=...`,
 * `user NOT in sudoers ; ...`, `command not allowed ; ...`). Its pam_unix lines go to pam-unix.
 */

/** Every sudo event's category list, shared (the block encoder finds such lists by identity). */
const AUTHENTICATION_PROCESS: readonly string[] = Object.freeze(['authentication', 'process']);

/**
 * parseSudo for printable ASCII text (`\s` is the space alone there), walking the ` ; ` parts
 * with indexOf instead of splitting them into a list and a record.
 */
function parseSudoAscii(text: string): ParsedFields | undefined {
  let start = 0;
  while (text.charCodeAt(start) === 32) start++;
  const colon = text.indexOf(' : ', start);
  if (colon <= start) return undefined;
  const spaceInUser = text.indexOf(' ', start);
  if (spaceInUser < colon) return undefined;
  let tty: string | undefined;
  let pwd: string | undefined;
  let target: string | undefined;
  let group: string | undefined;
  let command: string | undefined;
  let reason: string | undefined;
  for (let pos = colon + 3, first = true; ; first = false) {
    const sep = text.indexOf(' ; ', pos);
    const end = sep < 0 ? text.length : sep;
    // `[A-Z_]+=`: the key's chars read up to the first that is not one, which must be the `=`
    // (the first `=`: no key char is one), before the end of the part (a space stops the scan).
    let eq = pos;
    for (let k = text.charCodeAt(eq); k === 95 || (k >= 65 && k <= 90); k = text.charCodeAt(eq)) eq++;
    if (eq > pos && text.charCodeAt(eq) === 61 /* = */) {
      const keyLength = eq - pos;
      // COMMAND is last and may itself contain " ; ".
      if (keyLength === 7 && hasAt(text, 'COMMAND', pos)) {
        command = text.slice(eq + 1);
        break;
      }
      if (keyLength === 3 && hasAt(text, 'TTY', pos)) tty = text.slice(eq + 1, end);
      else if (keyLength === 3 && hasAt(text, 'PWD', pos)) pwd = text.slice(eq + 1, end);
      else if (keyLength === 4 && hasAt(text, 'USER', pos)) target = text.slice(eq + 1, end);
      else if (keyLength === 5 && hasAt(text, 'GROUP', pos)) group = text.slice(eq + 1, end);
    } else if (first) {
      reason = text.slice(pos, end);
    } else {
      return undefined;
    }
    if (sep < 0) break;
    pos = sep + 3;
  }
  if (command === undefined && tty === undefined && reason === undefined) return undefined;
  const fields = authEvent('sudo', reason === undefined ? 'success' : 'failure');
  fields['user.name'] = text.slice(start, colon);
  fields['event.category'] = AUTHENTICATION_PROCESS;
  if (reason !== undefined) {
    fields['event.reason'] = reason;
    const attempts = /^(\d+) incorrect password attempts?$/.exec(reason);
    if (attempts !== null) fields['sudo.failed_attempts'] = Number(attempts[1]);
  }
  if (target !== undefined) fields['user.target.name'] = target;
  if (group !== undefined) fields['group.target.name'] = group;
  if (tty !== undefined) fields['sudo.tty'] = tty;
  if (pwd !== undefined) fields['process.working_directory'] = pwd;
  if (command !== undefined) fields['process.command_line'] = command;
  return fields;
}

/**
 * parseSudoAscii's commonest input in one native match (which also makes it printable ASCII):
 * user and values without spaces (so each ` ; ` ends a part), COMMAND last, no reason.
 */
const COMMAND_RUN = /^([!-~]+) : TTY=([!-~]+) ; PWD=([!-~]+) ; USER=([!-~]+) ; COMMAND=([ -~]*)$/;

export function parseSudo(text: string): ParsedFields | undefined {
  const run = COMMAND_RUN.exec(text);
  if (run !== null) {
    const fields = authEvent('sudo', 'success');
    fields['user.name'] = run[1]!;
    fields['event.category'] = AUTHENTICATION_PROCESS;
    fields['user.target.name'] = run[4]!;
    fields['sudo.tty'] = run[2]!;
    fields['process.working_directory'] = run[3]!;
    fields['process.command_line'] = run[5]!;
    return fields;
  }
  if (isPrintableAscii(text)) return parseSudoAscii(text);
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
  fields['event.category'] = AUTHENTICATION_PROCESS;
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
