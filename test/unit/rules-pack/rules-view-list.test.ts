import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { ruleFileKey } from '../../../src/core/detect';
import { readBuiltinPack } from '../../../src/node/rules/pack';
import { BUILTIN_RULES } from '../../../src/renderer/views/rules/builtin-rules';
import { summarizeRuleFile } from '../../../src/renderer/views/rules/rule-file';
import { sigmaDiagnostics } from '../../../src/renderer/views/rules/sigma-language';

const files = readBuiltinPack();
/** The `id:` the file's main document declares (its correlation's if it has one, else its first). */
function declaredId(text: string): string {
  const ids = [...text.matchAll(/^id: (\S+)$/gm)].map((m) => m[1]!);
  return /^correlation:/m.test(text) ? ids[ids.length - 1]! : ids[0]!;
}

describe('the Rules view lists the built-in pack as detection runs it', () => {
  it('every file of assets/rules, known by the id detection knows it by', () => {
    expect(BUILTIN_RULES.map((r) => r.path)).toEqual(files.rules.map((f) => f.path.replace(/^assets\/rules\//, '')));
    for (const file of files.rules) expect(ruleFileKey(file.text), file.path).toBe(declaredId(file.text));
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(files.rules.length);
  });

  it('checks each file with the pack\'s data tables, so a rule expanding a placeholder is valid', () => {
    for (const rule of BUILTIN_RULES) expect(summarizeRuleFile(rule.yaml), rule.path).toMatchObject({ errors: [], key: rule.id });
    const tool = BUILTIN_RULES.find((r) => r.path === 'fw_hacker_tool_port.yml')!;
    expect(summarizeRuleFile(tool.yaml)).toMatchObject({ kind: 'rule', logsource: 'firewall', level: 'medium' });
    // Without the tables the same text is an error, at the placeholder.
    expect(summarizeRuleFile(tool.yaml, {})).toMatchObject({ kind: 'invalid', key: undefined, errors: [expect.objectContaining({ code: 'placeholder', line: 21 })] });
  });

  it('the editor\'s diagnostics resolve the placeholders too: no built-in rule shows an error', () => {
    for (const rule of BUILTIN_RULES) expect(sigmaDiagnostics(Text.of(rule.yaml.split('\n'))).filter((d) => d.severity === 'error'), rule.path).toEqual([]);
    const unknown = BUILTIN_RULES.find((r) => r.path === 'fw_hacker_tool_port.yml')!.yaml.replace("'%hacker_tool_ports%'", "'%no_such_table%'");
    expect(sigmaDiagnostics(Text.of(unknown.split('\n'))).map((d) => [d.severity, d.source])).toEqual([['error', 'placeholder']]);
  });
});
