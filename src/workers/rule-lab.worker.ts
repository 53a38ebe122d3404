/// <reference lib="webworker" />
import { expose } from 'comlink';
import { database } from '../store';
import { RuleLabService } from './rule-lab-service';

expose(new RuleLabService(database));
