// Frozen copy of src/core/formats/su.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';
import { AUTH_DATASET, authEvent } from './auth-common';
import type { SyslogMessageParser } from './syslog-messages';

/**
 * su, as util-linux (`(to root) alice on pts/0`, `FAILED SU (to root) alice on pts/0`), the old
 * shadow su (`Successful su for root by alice`, `FAILED su for root by alice`, `+ pts/0 alice:root`,
 * `- pts/0 alice:root`) and BSD-style (`'su root' failed for alice on /dev/pts/8`) log it.
 */

function su(outcome: 'success' | 'failure', user: string, target: string, tty?: string): ParsedFields {
  const fields = authEvent('su', outcome, { 'user.name': user, 'user.target.name': target });
  if (tty !== undefined) fields['su.tty'] = tty;
  return fields;
}

export function parseSu(message: string): ParsedFields | undefined {
  let m = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/.exec(message);
  if (m !== null) return su(m[1] === undefined ? 'success' : 'failure', m[3]!, m[2]!, m[4]);
  m = /^(Successful|FAILED) su for (\S+) by (\S+)$/.exec(message);
  if (m !== null) return su(m[1] === 'Successful' ? 'success' : 'failure', m[3]!, m[2]!);
  m = /^([+-]) (\S+) (\S+):(\S+)$/.exec(message);
  if (m !== null) return su(m[1] === '+' ? 'success' : 'failure', m[3]!, m[4]!, m[2]);
  m = /^'su (\S+)' failed for (\S+) on (\S+)$/.exec(message);
  if (m !== null) return su('failure', m[2]!, m[1]!, m[3]);
  return undefined;
}

export const suMessages: SyslogMessageParser = {
  id: 'su',
  accepts: (program) => program === 'su',
  parse(envelope) {
    const fields = parseSu(envelope.message);
    return fields === undefined ? undefined : { dataset: AUTH_DATASET, fields };
  },
};
