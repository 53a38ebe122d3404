/**
 * Tokens for files the analyst picked in a native dialog. The renderer never sees a path: it gets
 * an unguessable token and reads the bytes from app://loupe/evidence/<token>. Only the dialog
 * handlers register paths, so the protocol serves nothing the analyst did not choose.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `value` has the shape of a token we hand out (a lower-case UUID). */
export function isEvidenceToken(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Looks a token up; the protocol handler depends only on this. */
export interface EvidenceLookup {
  lookup(token: string): string | undefined;
}

export class EvidenceRegistry implements EvidenceLookup {
  // A Map, not an object: tokens such as '__proto__' or 'constructor' must find nothing.
  readonly #paths = new Map<string, string>();
  readonly #newToken: () => string;

  constructor(newToken: () => string = randomUUID) {
    this.#newToken = newToken;
  }

  /** Registers an absolute path chosen in a dialog and returns its fresh token. */
  register(absolutePath: string): string {
    if (!path.isAbsolute(absolutePath) || absolutePath.includes('\0')) {
      throw new Error(`evidence path must be absolute: ${JSON.stringify(absolutePath)}`);
    }
    const token = this.#newToken();
    if (!isEvidenceToken(token)) throw new Error('token generator returned a malformed token');
    if (this.#paths.has(token)) throw new Error('token collision');
    this.#paths.set(token, absolutePath);
    return token;
  }

  /** The path registered under `token`, or undefined for anything not handed out. */
  lookup(token: string): string | undefined {
    return isEvidenceToken(token) ? this.#paths.get(token) : undefined;
  }

  get size(): number {
    return this.#paths.size;
  }
}
