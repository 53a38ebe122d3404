import type { LoupeDB } from './db';
import type { AnnotationRecord } from './records';

/**
 * Stars, tags and comments on events and findings. Every change is written at once (there is no
 * save button to forget); an annotation that no longer says anything is removed.
 */

export type AnnotationTarget = { readonly eventId: number } | { readonly findingId: number };

/** The tags offered first; any other text is a custom tag. */
export const STANDARD_TAGS = ['malicious', 'benign', 'follow-up'] as const;

export type AnnotationChange = Partial<Pick<AnnotationRecord, 'starred' | 'tags' | 'comment'>>;

function byTarget(db: LoupeDB, caseId: string, target: AnnotationTarget) {
  return 'eventId' in target
    ? db.annotations.where('[caseId+eventId]').equals([caseId, target.eventId])
    : db.annotations.where('[caseId+findingId]').equals([caseId, target.findingId]);
}

export async function getAnnotation(db: LoupeDB, caseId: string, target: AnnotationTarget): Promise<AnnotationRecord | undefined> {
  return byTarget(db, caseId, target).first();
}

export function isEmptyAnnotation(a: Pick<AnnotationRecord, 'starred' | 'tags' | 'comment'>): boolean {
  return !a.starred && a.tags.length === 0 && a.comment.trim() === '';
}

/** Applies a change to the annotation of an event or finding; returns what is stored (undefined when removed). */
export async function annotate(db: LoupeDB, caseId: string, target: AnnotationTarget, change: AnnotationChange, now = Date.now()): Promise<AnnotationRecord | undefined> {
  return db.transaction('rw', db.annotations, async () => {
    const existing = await byTarget(db, caseId, target).first();
    const next: AnnotationRecord = {
      ...(existing ?? { caseId, ...target, starred: false, tags: [], comment: '' }),
      ...change,
      updatedAt: now,
    };
    next.tags = [...new Set(next.tags.map((t) => t.trim()).filter((t) => t !== ''))];
    if (isEmptyAnnotation(next)) {
      if (existing?.id !== undefined) await db.annotations.delete(existing.id);
      return undefined;
    }
    next.id = await db.annotations.put(next);
    return next;
  });
}

export async function listAnnotations(db: LoupeDB, caseId: string): Promise<AnnotationRecord[]> {
  return (await db.annotations.where('caseId').equals(caseId).toArray()).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Where an event came from, so an annotation finds its event again in a case ingested anew. */
export interface EventReference {
  readonly sha256: string;
  readonly path: string;
  readonly line: number;
  readonly timestamp: number;
}

export interface AnnotationExportItem {
  readonly eventId?: number;
  readonly findingId?: number;
  readonly event?: EventReference;
  readonly starred: boolean;
  readonly tags: readonly string[];
  readonly comment: string;
  readonly updatedAt: number;
}

/** The annotations of a case as a JSON document (what "Export annotations" writes). */
export interface AnnotationExport {
  readonly format: 'loupe.annotations';
  readonly version: 1;
  readonly case: { readonly id: string; readonly name: string };
  readonly exportedAt: number;
  readonly annotations: readonly AnnotationExportItem[];
}

export async function exportAnnotations(
  db: LoupeDB,
  caseId: string,
  references: (eventIds: readonly number[]) => Promise<readonly (EventReference | undefined)[]>,
  now = Date.now(),
): Promise<AnnotationExport> {
  const kase = await db.cases.get(caseId);
  const records = await listAnnotations(db, caseId);
  const eventIds = records.flatMap((r) => (r.eventId !== undefined ? [r.eventId] : []));
  const refs = await references(eventIds);
  const refOf = new Map(eventIds.map((id, i) => [id, refs[i]]));
  return {
    format: 'loupe.annotations',
    version: 1,
    case: { id: caseId, name: kase?.name ?? '' },
    exportedAt: now,
    annotations: records.map((r) => {
      const event = r.eventId !== undefined ? refOf.get(r.eventId) : undefined;
      return {
        ...(r.eventId !== undefined ? { eventId: r.eventId } : {}),
        ...(r.findingId !== undefined ? { findingId: r.findingId } : {}),
        ...(event !== undefined ? { event } : {}),
        starred: r.starred, tags: [...r.tags], comment: r.comment, updatedAt: r.updatedAt,
      };
    }),
  };
}

/** Checks that parsed JSON is an annotation export; says what is wrong otherwise. */
export function validateAnnotationExport(value: unknown): AnnotationExport {
  const fail = (why: string): never => { throw new Error(`not a Loupe annotation export: ${why}`); };
  if (typeof value !== 'object' || value === null) fail('not a JSON object');
  const doc = value as Record<string, unknown>;
  if (doc['format'] !== 'loupe.annotations') fail('"format" is not "loupe.annotations"');
  if (doc['version'] !== 1) fail(`version ${String(doc['version'])} is not supported`);
  if (!Array.isArray(doc['annotations'])) fail('"annotations" is not a list');
  const kase = doc['case'] as Record<string, unknown> | undefined;
  if (typeof kase?.['id'] !== 'string') fail('"case.id" is missing');
  (doc['annotations'] as unknown[]).forEach((item, i) => {
    const a = item as Record<string, unknown>;
    if (typeof a !== 'object' || a === null) fail(`annotation ${i + 1} is not an object`);
    if (typeof a['starred'] !== 'boolean' || typeof a['comment'] !== 'string' || !Array.isArray(a['tags']) || !a['tags'].every((t) => typeof t === 'string')) {
      fail(`annotation ${i + 1} lacks starred, tags or comment`);
    }
    if (a['eventId'] === undefined && a['findingId'] === undefined) fail(`annotation ${i + 1} names no event or finding`);
  });
  return value as AnnotationExport;
}

/**
 * Merges an export into a case. Events are found by their evidence reference (file SHA-256 and
 * line) through `resolve`, or by id when the export is of this same case; the newer annotation
 * wins. Returns how many were imported and how many found no event.
 */
export async function importAnnotations(
  db: LoupeDB,
  caseId: string,
  doc: AnnotationExport,
  resolve: (refs: readonly EventReference[]) => Promise<readonly (number | undefined)[]>,
): Promise<{ imported: number; unmatched: number }> {
  const withRefs = doc.annotations.filter((a) => a.event !== undefined);
  const resolved = await resolve(withRefs.map((a) => a.event!));
  const idOf = new Map(withRefs.map((a, i) => [a, resolved[i]]));
  let imported = 0;
  let unmatched = 0;
  for (const a of doc.annotations) {
    let target: AnnotationTarget | undefined;
    if (a.findingId !== undefined) target = doc.case.id === caseId ? { findingId: a.findingId } : undefined;
    else {
      const id = idOf.get(a) ?? (doc.case.id === caseId ? a.eventId : undefined);
      target = id !== undefined ? { eventId: id } : undefined;
    }
    if (target === undefined) {
      unmatched++;
      continue;
    }
    const existing = await getAnnotation(db, caseId, target);
    if (existing === undefined || existing.updatedAt < a.updatedAt) {
      await annotate(db, caseId, target, { starred: a.starred, tags: [...a.tags], comment: a.comment }, a.updatedAt);
    }
    imported++;
  }
  return { imported, unmatched };
}
