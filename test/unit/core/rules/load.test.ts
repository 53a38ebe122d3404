/** Loading and validation: multi-document files, every error with its exact line and column. */
import { describe, expect, it } from 'vitest';
import { SigmaError, loadRules, type SigmaDiagnostic } from '../../../../src/core/rules';

const RULE = `title: Failed SSH
id: 0b4a4a4e-0000-4000-8000-000000000001
status: test
description: test rule
author: Loupe tests
references: [https://example.org]
tags: [attack.t1110]
logsource:
  product: linux
  service: sshd
detection:
  sel:
    message|contains: 'Failed password'
  condition: sel
falsepositives:
  - typos
level: medium
regression_tests_path: tests/x
`;

function errorsOf(text: string): SigmaDiagnostic[] {
  return loadRules(text, { file: 'r.yml', collectErrors: true }).errors;
}

function only(text: string): SigmaDiagnostic {
  const errors = errorsOf(text).filter((e) => e.severity === 'error');
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe('loadRules', () => {
  it('builds the rule model', () => {
    const [doc] = loadRules(RULE).documents;
    expect(doc?.kind).toBe('rule');
    if (doc?.kind !== 'rule') return;
    expect(doc).toMatchObject({
      title: 'Failed SSH',
      id: '0b4a4a4e-0000-4000-8000-000000000001',
      status: 'test',
      author: 'Loupe tests',
      level: 'medium',
      references: ['https://example.org'],
      tags: ['attack.t1110'],
      falsepositives: ['typos'],
      logsource: { product: 'linux', service: 'sshd' },
      custom: { regression_tests_path: 'tests/x' },
    });
    expect(doc.detection.identifiers.map((i) => i.name)).toEqual(['sel']);
    expect(doc.detection.conditions[0]).toMatchObject({ text: 'sel', loc: { line: 14, column: 14 } });
  });

  it('reads every document of a multi-document file, and skips empty ones', () => {
    const text = `${RULE}---\n${RULE.replace('Failed SSH', 'Second').replace('000000000001', '000000000002')}---\n`;
    const { documents, errors } = loadRules(text, { collectErrors: true });
    expect(errors).toEqual([]);
    expect(documents.map((d) => d.title)).toEqual(['Failed SSH', 'Second']);
    expect(documents[1]?.source.line).toBe(20);
  });

  it('throwing mode throws the first error as a SigmaError with its location', () => {
    const text = RULE.replace("message|contains: 'Failed password'", "message|contans: 'Failed password'");
    let error: unknown;
    try {
      loadRules(text, { file: 'r.yml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SigmaError);
    expect((error as SigmaError).location).toEqual({ file: 'r.yml', line: 13, column: 5 });
    expect(String(error)).toBe("r.yml:13:5: unknown modifier 'contans'");
  });

  it('collect mode returns the good documents and every error', () => {
    const bad = RULE.replace('condition: sel', 'condition: sel and nope');
    const { documents, errors } = loadRules(`${bad}---\n${RULE}`, { collectErrors: true });
    expect(documents).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});

describe('validation errors with exact line and column', () => {
  it('bad YAML', () => {
    const e = only('title: x\nlogsource: {product: linux\ndetection:\n  sel: a\n  condition: sel\n');
    expect(e.code).toBe('yaml');
    expect([e.line, e.column]).toEqual([3, 1]);
  });
  it('duplicate keys are a YAML error', () => {
    const e = only('title: x\ntitle: y\nlogsource: {}\ndetection:\n  sel: a\n  condition: sel\n');
    expect(e.code).toBe('yaml');
    expect(e.line).toBe(2);
  });
  it('unknown modifier: at the key', () => {
    const e = only(RULE.replace('message|contains', 'message|contians'));
    expect(e).toMatchObject({ code: 'unknown-modifier', file: 'r.yml', line: 13, column: 5, message: "unknown modifier 'contians'", rule: 'Failed SSH' });
  });
  it('misplaced modifier: re after contains', () => {
    const e = only(RULE.replace('message|contains', 'message|contains|re'));
    expect(e).toMatchObject({ code: 'modifier', line: 13, column: 5 });
    expect(e.message).toMatch(/'re' must be the first modifier/);
  });
  it('bad value for a modifier: at the value', () => {
    const e = only(RULE.replace("message|contains: 'Failed password'", "port|gt: '5'"));
    expect(e).toMatchObject({ code: 'value', line: 13, column: 14 });
  });
  it('bad value in a list: at that list item', () => {
    const e = only(RULE.replace("message|contains: 'Failed password'", 'ip|cidr:\n      - 10.0.0.0/8\n      - 300.1.1.1/8'));
    expect(e).toMatchObject({ code: 'value', line: 15, column: 9 });
    expect(e.message).toMatch(/300\.1\.1\.1\/8/);
  });
  it('bad condition: at the offending token', () => {
    const e = only(RULE.replace('condition: sel', 'condition: sel AND sel'));
    expect(e).toMatchObject({ code: 'condition', line: 14, column: 18 });
    expect(e.message).toMatch(/lower-case/);
  });
  it('bad condition in a quoted string: the column counts the quote', () => {
    const e = only(RULE.replace('condition: sel', "condition: 'sel or (sel'"));
    expect(e).toMatchObject({ code: 'condition', line: 14, column: 26 });
  });
  it('unknown selection referenced: at the name', () => {
    const e = only(RULE.replace('condition: sel', 'condition: sel and not filter'));
    expect(e).toMatchObject({ code: 'identifier', line: 14, column: 26 });
    expect(e.message).toMatch(/'filter'/);
  });
  it('legacy aggregation: named as such', () => {
    const e = only(RULE.replace('condition: sel', 'condition: sel | count() by src_ip > 5'));
    expect(e).toMatchObject({ code: 'legacy', line: 14, column: 18 });
  });
  it('legacy timeframe: named as such, at the key', () => {
    const e = only(RULE.replace('  condition: sel', '  timeframe: 5m\n  condition: sel'));
    expect(e).toMatchObject({ code: 'legacy', line: 14, column: 3 });
  });
  it('missing detection / title / wrong status', () => {
    expect(only('title: x\nlogsource: {}\n').message).toMatch(/needs a 'detection'/);
    expect(only('logsource: {}\ndetection: {a: b, condition: a}\n').message).toMatch(/needs a 'title'/);
    expect(only(RULE.replace('status: test', 'status: beta'))).toMatchObject({ code: 'structure', line: 3, column: 9 });
  });
  it('unsupported feature named as such: v1 rule collections', () => {
    const e = only('action: global\ntitle: x\n');
    expect(e).toMatchObject({ code: 'unsupported', line: 1, column: 9 });
  });
  it('unresolved placeholder: refused (spec: must reject)', () => {
    const e = only(RULE.replace("message|contains: 'Failed password'", "host|expand: '%Servers%'"));
    expect(e).toMatchObject({ code: 'placeholder', line: 13, column: 18 });
    expect(loadRules(RULE.replace("message|contains: 'Failed password'", "host|expand: '%Servers%'"), { placeholders: { Servers: ['a', 'b'] } }).documents).toHaveLength(1);
  });
  it('"all" on a single value is a warning, not an error', () => {
    const { documents, errors } = loadRules(RULE.replace('message|contains', 'message|contains|all'), { collectErrors: true });
    expect(documents).toHaveLength(1);
    expect(errors).toMatchObject([{ severity: 'warning', code: 'modifier' }]);
  });
});

const CORR = `title: Many failures
name: many_failed
correlation:
  type: event_count
  rules: [failed]
  group-by: [user.name]
  timespan: 10m
  condition:
    gte: 5
level: high
`;

describe('correlation documents', () => {
  it('builds the correlation model', () => {
    const [doc] = loadRules(CORR).documents;
    expect(doc).toMatchObject({
      kind: 'correlation',
      name: 'many_failed',
      correlation: { type: 'event_count', rules: ['failed'], groupBy: ['user.name'], timespan: '10m', timespanMs: 600_000, generate: false, condition: { comparisons: [{ op: 'gte', value: 5 }] } },
    });
  });
  const bad: [string, string, string, number, number][] = [
    ['unknown type', 'type: event_count', 'type: events', 4, 9],
    ['bad timespan', 'timespan: 10m', 'timespan: 10 minutes', 7, 13],
    ['condition operator', 'gte: 5', 'atleast: 5', 9, 5],
    ['value_count without field', 'type: event_count', 'type: value_count', 9, 5],
    ['non-numeric threshold', 'gte: 5', "gte: 'five'", 9, 10],
  ];
  it.each(bad)('%s', (_name, from, to, line, column) => {
    const e = only(CORR.replace(from, to));
    expect(e).toMatchObject({ code: 'correlation', line, column });
  });
  it('aliases must cover every rule', () => {
    const text = CORR.replace('rules: [failed]', 'rules: [failed, ok]').replace('group-by: [user.name]', 'group-by: [ip]\n  aliases:\n    ip:\n      failed: source.ip');
    const e = only(text);
    expect(e.message).toMatch(/alias 'ip' gives no field for rule 'ok'/);
  });
  it('value_percentile and string conditions are reported as unsupported', () => {
    expect(only(CORR.replace('type: event_count', 'type: value_percentile').replace('gte: 5', 'gte: 5\n    field: x')).code).toBe('unsupported');
    expect(only(CORR.replace('type: event_count', 'type: temporal').replace('condition:\n    gte: 5', 'condition: a and not b')).code).toBe('unsupported');
  });
});

describe('the specification test documents (shared/corpus/sigma/sigma-specification/tests)', async () => {
  const { hasCorpus, corpusPath } = await import('../../corpus');
  const { readdirSync, readFileSync } = await import('node:fs');
  it.skipIf(!hasCorpus)('load; only value_percentile is refused', () => {
    const root = corpusPath('sigma/sigma-specification/tests/schema');
    const results: string[] = [];
    for (const dir of ['rules', 'correlation', 'filter']) {
      for (const name of readdirSync(`${root}/${dir}`)) {
        const { documents, errors } = loadRules(readFileSync(`${root}/${dir}/${name}`, 'utf8'), { file: name, collectErrors: true });
        results.push(`${dir}/${name}: ${documents.length} loaded${errors.length > 0 ? `, ${errors.map((e) => e.code).join(',')}` : ''}`);
        if (name !== 'value_percentile.yml') expect(errors.filter((e) => e.severity === 'error'), name).toEqual([]);
        else expect(errors.map((e) => e.code)).toContain('unsupported');
      }
    }
    console.log(results.join('\n'));
  });
});
