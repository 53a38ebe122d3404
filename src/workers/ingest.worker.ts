/// <reference lib="webworker" />
import { expose } from 'comlink';
import { database } from '../store';
import { IngestService } from './ingest-service';

expose(new IngestService(database));
