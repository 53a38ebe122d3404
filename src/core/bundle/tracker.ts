import { splitBundlePath } from './layout';
import { isBundleFactFile, recognizeBundles, type BundleFacts } from './recognize';

/**
 * Bundle recognition while a bundle streams in. A folder drop shows every path at once; an archive
 * shows its members one at a time, so what is known about a bundle (host, collection date, zone)
 * grows as its fact files pass. sos writes its tar with each folder sorted, so etc/, date and
 * sos_commands/ come before var/ and the facts are known before the first log; what arrives
 * later is applied at the end (`settled()`), and the caller re-times what was read under other facts.
 */
function escapes(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  return normalized.startsWith('/') || normalized.split('/').includes('..');
}

export class BundleTracker {
  private readonly byRoot = new Map<string, string[]>();
  private readonly seen = new Set<string>();
  private readonly texts = new Map<string, string>();
  private readonly cache = new Map<string, BundleFacts>();

  /** A path of the drop (a file of a folder, or an archive member). */
  addPath(path: string): void {
    // A member that escapes its archive (`../../etc/passwd`, `/etc/passwd`) is refused, never read:
    // it belongs to no bundle and must not make one up.
    if (escapes(path)) return;
    if (this.seen.has(path)) return;
    this.seen.add(path);
    const { root } = splitBundlePath(path);
    const list = this.byRoot.get(root);
    if (list === undefined) this.byRoot.set(root, [path]);
    else list.push(path);
  }

  /** Takes back a path that turned out to be an archive (its members are the evidence). */
  removePath(path: string): void {
    if (!this.seen.delete(path)) return;
    const { root } = splitBundlePath(path);
    const list = (this.byRoot.get(root) ?? []).filter((p) => p !== path);
    if (list.length > 0) this.byRoot.set(root, list);
    else this.byRoot.delete(root);
    this.texts.delete(path);
    this.cache.delete(root);
  }

  /** The text of a fact file (see `wantsText`). */
  addText(path: string, text: string): void {
    this.addPath(path);
    this.texts.set(path, text);
    this.cache.delete(splitBundlePath(path).root);
  }

  /** True when `path` is a small file whose text tells about its bundle. */
  wantsText(path: string): boolean {
    return isBundleFactFile(splitBundlePath(path).inner);
  }

  /**
   * What is known now about the bundle holding `path`: host, collection date and zone as of the
   * fact files seen so far. Kept until the next fact text, so its families may lag (see settled()).
   */
  factsFor(path: string): BundleFacts {
    const { root } = splitBundlePath(path);
    let facts = this.cache.get(root);
    if (facts === undefined) {
      facts = recognizeBundles(this.byRoot.get(root) ?? [path], this.texts)[0]!;
      this.cache.set(root, facts);
    }
    return facts;
  }

  /** Every bundle as recognized from all paths and texts seen. */
  settled(): BundleFacts[] {
    return recognizeBundles([...this.byRoot.values()].flat(), this.texts);
  }
}
