import { afterAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../../src/cli/analyze';
import { loadRulePack } from '../../../src/cli/findings';
import { collectEvidence } from '../../../src/node/evidence/index';
import { buildDemoFiles } from '../../../src/node/demo/demo-files';
import { DEMO_FACTS } from '../../../src/node/demo/demo-facts';
import { CORPUS_MISSING, corpusPath, hasCorpus } from '../corpus';
import { TempDir } from './helpers';

/**
 * `loupe analyze --findings` over one log runs detection on the events as they are parsed
 * (StreamDetection), with no blocks kept. It must give what detection over the stored blocks
 * gives; an `onBlock` listener makes analyze keep blocks, so the same call runs both ways.
 */

const pack = loadRulePack([]);
const dir = new TempDir();
afterAll(() => dir.remove());
for (const f of buildDemoFiles()) dir.file(f.relativePath, f.content, new Date(f.mtime));

async function bothWays(file: string): Promise<{ streamed: Analysis; stored: Analysis }> {
  const { entries } = await collectEvidence([file]);
  expect(entries).toHaveLength(1);
  const streamed = await analyze(entries, { detect: pack });
  const stored = await analyze(entries, { detect: pack, onBlock: () => undefined });
  return { streamed, stored };
}

function expectSame({ streamed, stored }: { streamed: Analysis; stored: Analysis }): void {
  expect(streamed.document.events).toBe(stored.document.events);
  expect(streamed.document.evidence).toEqual(stored.document.evidence);
  expect(streamed.document.findings).toEqual(stored.document.findings);
}

describe('detection streamed over one log', () => {
  it.each(['var/log/auth.log', 'var/log/kern.log', 'var/log/apache2/access.log', 'var/snap/maas/common/log/regiond.log', 'var/log/syslog'])(
    'demo %s: the findings of detection over the stored blocks',
    async (path) => {
      const both = await bothWays(dir.path(`${DEMO_FACTS.bundleTopDir}/${path}`));
      expectSame(both);
      if (path !== 'var/log/syslog') expect(both.streamed.document.findings.length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!hasCorpus)('real logs (fail2ban sshd, UFW, scanner traffic): the same findings both ways', async () => {
    if (!hasCorpus) return console.warn(CORPUS_MISSING);
    let findings = 0;
    for (const file of ['fail2ban/logs/sshd', 'hms5232-ufwlog/ufw.log', 'ocatak-apache-http-logs/acunetix.first2500.txt', 'loghub/OpenSSH/OpenSSH_2k.log']) {
      const both = await bothWays(corpusPath(file));
      expectSame(both);
      findings += both.streamed.document.findings.length;
    }
    expect(findings).toBeGreaterThan(0);
  });

  it('a log with a line out of time order: the stored events are read again and sorted, as the app would', async () => {
    // Five failures from one address within seconds, and between them a line stamped an hour
    // later: in file order the late line closes the 10-minute window early, in time order not.
    const line = (time: string, pid: number) => `Mar 12 ${time} region sshd[${pid}]: Failed password for root from 198.51.100.7 port ${40000 + pid} ssh2`;
    const text = [line('10:00:00', 1), line('10:00:01', 2), line('11:00:00', 3), line('10:00:02', 4), line('10:00:03', 5), line('10:00:04', 6)].join('\n');
    const file = dir.file('unordered/auth.log', `${text}\n`, new Date(Date.UTC(2026, 2, 13)));
    const both = await bothWays(file);
    expectSame(both);
    const brute = both.streamed.document.findings.filter((f) => f.rule.title.startsWith('SSH brute force'));
    expect(brute.map((f) => f.count)).toEqual([5]);
  });
});
