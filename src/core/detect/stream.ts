/**
 * Detection over events as they are parsed, with nothing stored: for one log read front to back
 * (the command line over a single file, as fail2ban-regex reads one). Encoding the events into
 * blocks and decoding them again in time order was most of such a run.
 *
 * It gives the findings of detection over the stored blocks (DetectionRun after timeOrder) as long
 * as the events come oldest first: time order over one file's blocks is then file order. Whether
 * they did is `inTimeOrder`; when not, the caller must run over the stored events instead.
 */
import type { PendingEvent } from '../model/block';
import type { Finding } from '../model/finding';
import type { CompiledRuleSet } from '../rules';
import { DetectionRun } from './runner';

export class StreamDetection {
  private readonly run: DetectionRun;

  constructor(ruleSet: CompiledRuleSet) {
    this.run = new DetectionRun(ruleSet);
  }

  /** One event of file `fileId` with the id it would have in its block (EventSink gives it). */
  push(event: PendingEvent, id: number, fileId: number): void {
    this.run.push({ id, timestamp: event.timestamp, fileId, line: event.line, lineCount: event.lineCount, offset: event.offset, raw: event.raw, fields: event.fields });
  }

  get events(): number {
    return this.run.events;
  }

  /** False once an event came older than one before it: the findings would then differ. */
  get inTimeOrder(): boolean {
    return this.run.eventsOutOfOrder === 0;
  }

  finish(): Finding[] {
    return this.run.finish();
  }
}
