import { useEffect, useRef, useState, type Ref } from 'react';
import { annotate, database, getAnnotation, STANDARD_TAGS, type AnnotationChange, type AnnotationRecord, type AnnotationTarget } from '../../../store';
import { visibleText } from '../../app/format';

interface AnnotationEditorProps {
  readonly annotation: AnnotationRecord | undefined;
  readonly onChange: (change: AnnotationChange) => void;
  /** The tag input, so the `t` key can focus it. */
  readonly tagInputRef?: Ref<HTMLInputElement>;
}

/**
 * Star, tags and comment of one event or finding. Controlled: every change goes to `onChange`,
 * which writes it at once (there is no save button).
 */
export function AnnotationEditor({ annotation, onChange, tagInputRef }: AnnotationEditorProps) {
  const starred = annotation?.starred ?? false;
  const tags = annotation?.tags ?? [];
  const [comment, setComment] = useState(annotation?.comment ?? '');
  const [tagText, setTagText] = useState('');
  const commentRef = useRef<HTMLTextAreaElement>(null);
  // A comment typed here is written as it is typed; a change from elsewhere (import, another
  // event selected) replaces it, but not while the analyst is typing (late echoes would undo keys).
  useEffect(() => {
    if (document.activeElement !== commentRef.current) setComment(annotation?.comment ?? '');
  }, [annotation?.comment, annotation?.eventId, annotation?.findingId]);
  const toggleTag = (tag: string) => onChange({ tags: tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag] });
  return (
    <div className="annotation-editor" data-testid="annotation-editor">
      <div className="annotation-row">
        <button type="button" className={`star-button${starred ? ' on' : ''}`} aria-pressed={starred} onClick={() => onChange({ starred: !starred })} data-testid="annotation-star" title="Star (s)">
          {starred ? '★ Starred' : '☆ Star'}
        </button>
        {STANDARD_TAGS.map((tag) => (
          <button type="button" key={tag} className={`tag-toggle tag-${tag}${tags.includes(tag) ? ' on' : ''}`} aria-pressed={tags.includes(tag)} onClick={() => toggleTag(tag)} data-testid={`tag-${tag}`}>
            {tag}
          </button>
        ))}
      </div>
      <div className="annotation-row">
        {tags.filter((t) => !(STANDARD_TAGS as readonly string[]).includes(t)).map((tag) => (
          <span className="tag-chip" key={tag} data-testid="custom-tag">
            {visibleText(tag)}
            <button type="button" className="chip-remove" aria-label={`Remove tag ${tag}`} onClick={() => toggleTag(tag)}>×</button>
          </span>
        ))}
        <input
          ref={tagInputRef}
          className="tag-input"
          placeholder="Add a tag (t), Enter"
          value={tagText}
          data-testid="tag-input"
          onChange={(e) => setTagText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && tagText.trim() !== '') {
              onChange({ tags: [...tags, tagText.trim()] });
              setTagText('');
            } else if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
        />
      </div>
      <textarea
        ref={commentRef}
        className="annotation-comment"
        placeholder="Comment (saved as you type)"
        value={comment}
        data-testid="annotation-comment"
        onChange={(e) => { setComment(e.target.value); onChange({ comment: e.target.value }); }}
      />
    </div>
  );
}

/**
 * The same editor for any event or finding, loading and writing its annotation itself: what the
 * findings view drops in next to a finding.
 */
export function AnnotationPanel({ caseId, target, onSaved }: { readonly caseId: string; readonly target: AnnotationTarget; readonly onSaved?: (record: AnnotationRecord | undefined) => void }) {
  const [annotation, setAnnotation] = useState<AnnotationRecord>();
  const key = 'eventId' in target ? `e${target.eventId}` : `f${target.findingId}`;
  const latest = useRef(target);
  latest.current = target;
  useEffect(() => {
    let live = true;
    void getAnnotation(database(), caseId, latest.current).then((a) => { if (live) setAnnotation(a); });
    return () => { live = false; };
  }, [caseId, key]);
  return (
    <AnnotationEditor
      annotation={annotation}
      onChange={(change) => {
        void annotate(database(), caseId, latest.current, change).then((saved) => {
          setAnnotation(saved);
          onSaved?.(saved);
        });
      }}
    />
  );
}
