import { wrap, type Remote } from 'comlink';
import type { RuleLabApi } from '../../../workers/rule-lab-contract';

let lab: Remote<RuleLabApi> | undefined;

/** The rule lab worker, started the first time the Rules view needs it. */
export function ruleLab(): Remote<RuleLabApi> {
  lab ??= wrap<RuleLabApi>(new Worker(new URL('../../../workers/rule-lab.worker.ts', import.meta.url), { type: 'module', name: 'rule-lab' }));
  return lab;
}
