import { describe, expect, it } from 'vitest';
import { splitBundlePath } from '../../../../src/core/bundle/layout';
import { BundleTracker } from '../../../../src/core/bundle/tracker';

describe('BundleTracker', () => {
  it('makes no bundle of a member that escapes its archive', () => {
    const tracker = new BundleTracker();
    tracker.addPath('sosreport-rack02-2026-03-12-abc/var/log/syslog');
    tracker.addPath('../../etc/passwd');
    tracker.addPath('/etc/shadow');
    tracker.addPath('evil\\..\\..\\boot.ini');
    expect(tracker.settled().map((b) => b.root)).toEqual(['sosreport-rack02-2026-03-12-abc']);
    // Shown whole, not as the inner path of a bundle named '..'.
    expect(splitBundlePath('../../etc/passwd')).toEqual({ root: '', inner: '../../etc/passwd' });
  });

  it('learns the host of a bundle from its fact file, for paths seen before and after', () => {
    const tracker = new BundleTracker();
    tracker.addPath('sosreport-rack02-2026-03-12-abc/var/log/syslog');
    tracker.addText('sosreport-rack02-2026-03-12-abc/etc/hostname', 'rack02\n');
    expect(tracker.factsFor('sosreport-rack02-2026-03-12-abc/var/log/kern.log').host).toBe('rack02');
    expect(tracker.settled()[0]?.host).toBe('rack02');
  });
});
