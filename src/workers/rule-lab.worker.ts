/// <reference lib="webworker" />
import { expose } from 'comlink';
import { loadPack } from '../core/detect';
import { database } from '../store';
import { builtinPackFiles } from './builtin-pack';
import { RuleLabService, YIELD_EVERY } from './rule-lab-service';

// The pack's data tables give the placeholders detection compiles with.
expose(new RuleLabService(database, YIELD_EVERY, loadPack([], builtinPackFiles().data).placeholders));
