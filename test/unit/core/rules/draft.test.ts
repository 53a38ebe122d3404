import { describe, expect, it } from 'vitest';
import { compileRules, draftRule, loadRules, logsourceOf } from '../../../../src/core/rules';
import { ev } from './helpers';

const options = { id: '6f1c2b1e-0000-4000-8000-000000000001', date: '2026-03-12' };

const web = (url: string, status: number, ip = '203.0.113.45', port = 40000) =>
  ev({ 'event.dataset': 'apache.access', 'host.name': 'maas-region-01', 'source.ip': ip, 'source.port': port, 'http.request.method': 'GET', 'url.original': url, 'http.response.status_code': status, 'log.file.line': port }, { raw: `${ip} GET ${url} ${status}` });

describe('draftRule', () => {
  it('drafts a rule from one event that loads, carries its dataset\'s log source and matches that event', () => {
    const event = web('/cgi-bin/.%2e/etc/passwd?x=*', 400);
    const yaml = draftRule([event], options);
    const loaded = loadRules(yaml, { collectErrors: true });
    expect(loaded.errors).toEqual([]);
    const doc = loaded.documents[0]!;
    expect(doc.kind).toBe('rule');
    if (doc.kind !== 'rule') return;
    expect(doc.id).toBe(options.id);
    expect(doc.status).toBe('experimental');
    expect(doc.logsource).toEqual({ category: 'webserver', product: 'apache' });
    // Evidence and per-line values are left out; Sigma's wildcards in the URL are escaped.
    expect(yaml).not.toContain('log.file.line');
    expect(yaml).not.toContain('source.port');
    expect(yaml).toContain('url.original: /cgi-bin/.%2e/etc/passwd\\?x=\\*');
    const set = compileRules(loaded.documents);
    expect(set.test(event)).toEqual([options.id]);
    expect(set.test(web('/cgi-bin/.%2e/etc/passwd?x=y', 400))).toEqual([]);
  });

  it('keeps the values several events share, lists a few that differ, and drops the ones that differ everywhere', () => {
    const events = [web('/a', 404), web('/b', 404), web('/c', 403), web('/d', 404)];
    const yaml = draftRule(events, options);
    const doc = loadRules(yaml).documents[0]!;
    if (doc.kind !== 'rule') throw new Error('not a rule');
    const items = doc.detection.identifiers[0]!.node;
    expect(items.kind).toBe('and');
    if (items.kind !== 'and') return;
    const byField = Object.fromEntries(items.nodes.map((n) => (n.kind === 'item' ? [n.item.field, n.item.values.map((v) => v.value)] : ['?', []])));
    expect(byField).toEqual({
      'host.name': ['maas-region-01'],
      'http.request.method': ['GET'],
      'http.response.status_code': [404, 403],
      'source.ip': ['203.0.113.45'],
    });
    const set = compileRules([doc]);
    for (const e of events) expect(set.test(e)).toEqual([options.id]);
    expect(set.test(web('/e', 200))).toEqual([]);
  });

  it('uses the guarded log source of a dataset when the event meets its guard, and the keys shared across datasets', () => {
    const sshd = ev({ 'event.dataset': 'system.auth', 'process.name': 'sshd', 'user.name': 'root', 'event.outcome': 'failure' });
    expect(logsourceOf(sshd)).toEqual({ product: 'linux', service: 'sshd' });
    const regiond = ev({ 'event.dataset': 'maas.regiond', 'http.request.method': 'GET', 'source.ip': '203.0.113.45' });
    const apache = ev({ 'event.dataset': 'apache.access', 'http.request.method': 'GET', 'source.ip': '203.0.113.45' });
    const doc = loadRules(draftRule([regiond, apache], options)).documents[0]!;
    expect(doc.kind === 'rule' && doc.logsource).toEqual({ category: 'webserver' });
    expect(compileRules([doc]).test(regiond)).toEqual([options.id]);
  });

  it('refuses an empty selection', () => {
    expect(() => draftRule([], options)).toThrow('at least one event');
  });
});
