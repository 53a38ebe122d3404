/// <reference lib="webworker" />
import { expose } from 'comlink';
import { database } from '../store';
import { builtinPackFiles } from './builtin-pack';
import { DetectService } from './detect-service';

expose(new DetectService(database, builtinPackFiles));
