/** Detection over a case: rule packs, time order over blocks, findings. */
export { loadPack, mainDocument, parseDataTable, ruleFileKey, type DataTable, type LoadedPack, type TextFile } from './pack';
export { DetectionRun, detect } from './runner';
export { StreamDetection } from './stream';
export { timeOrder, type BlockTimes } from './order';
export { compareFindings, levelRank, LEVEL_ORDER, type Finding } from '../model/finding';
