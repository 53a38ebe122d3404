/// <reference lib="webworker" />
import { expose } from 'comlink';
import { database } from '../store';
import { QueryService } from './query-service';

expose(new QueryService(database));
