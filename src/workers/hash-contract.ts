/** Messages between the ingest worker and the hash worker (hash.worker.ts). */
export type HashRequest =
  /** Bytes of hash `id`, in order; the buffer is transferred (a copy made for it). */
  | { readonly id: number; readonly kind: 'update'; readonly bytes: ArrayBuffer }
  /** The end of hash `id`: reply with its digest. */
  | { readonly id: number; readonly kind: 'digest' };

export type HashReply =
  /** `bytes` of hash `id` were hashed: the sender may send more. */
  | { readonly id: number; readonly kind: 'ack'; readonly bytes: number }
  | { readonly id: number; readonly kind: 'digest'; readonly hex: string }
  | { readonly id: number; readonly kind: 'error'; readonly error: string };
