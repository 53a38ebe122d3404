import { describe, expect, it } from 'vitest';
import { fieldsRead, loadRules } from '../../../../src/core/rules';

const base = ['event.dataset', 'host.name', 'http.request.method', 'process.name', 'source.ip', 'user.name'];

describe('fieldsRead', () => {
  it('maps taxonomy names of the rule\'s log source onto ECS fields and adds the dataset, guard and entity fields', () => {
    const docs = loadRules(`title: t\nlogsource: {category: webserver}\ndetection:\n  sel:\n    cs-uri-query|contains: passwd\n    sc-status: 404\n  condition: sel\n`).documents;
    expect(fieldsRead(docs)).toEqual({ all: false, raw: false, fields: [...base, 'http.response.status_code', 'url.original'].sort() });
  });

  it('reads the field a fieldref names, through the same table', () => {
    const docs = loadRules(`title: t\nlogsource: {category: firewall}\ndetection:\n  s:\n    src_ip|fieldref: dst_ip\n    dst_port|fieldref|startswith: src_port\n  condition: s\n`).documents;
    expect(fieldsRead(docs).fields).toEqual([...base, 'destination.ip', 'destination.port', 'source.port'].sort());
  });

  it('reads everything for keywords, and the raw line for event.original', () => {
    const keywords = loadRules(`title: t\nlogsource: {product: linux}\ndetection:\n  kw: [oops]\n  condition: kw\n`).documents;
    expect(fieldsRead(keywords)).toMatchObject({ all: true, raw: true });
    const original = loadRules(`title: t\nlogsource: {product: linux}\ndetection:\n  s:\n    event.original|contains: x\n  condition: s\n`).documents;
    expect(fieldsRead(original)).toMatchObject({ all: false, raw: true });
  });

  it('reads the group-by and value fields of a correlation through its base rule\'s table and aliases', () => {
    const docs = loadRules(`title: base\nid: b\nlogsource: {category: firewall}\ndetection:\n  s:\n    action: denied\n  condition: s\n---\ntitle: c\ncorrelation:\n  type: value_count\n  rules: [b]\n  group-by: [src]\n  aliases:\n    src:\n      b: src_ip\n  timespan: 1m\n  condition:\n    gte: 10\n    field: dst_port\n`).documents;
    expect(fieldsRead(docs).fields).toEqual([...base, 'destination.port', 'event.action'].sort());
  });
});

describe('peekLogsource', () => {
  it('reads the log source of a text that does not load as a rule yet, and gives undefined for junk', async () => {
    const { peekLogsource } = await import('../../../../src/core/rules');
    expect(peekLogsource('title: x\nlogsource:\n  category: webserver\n  product: 7\ndetection:\n  sel:\n    c-ip|\n')).toEqual({ category: 'webserver' });
    expect(peekLogsource('title: [unclosed')).toBeUndefined();
    expect(peekLogsource('- a\n- b\n')).toBeUndefined();
  });
});
