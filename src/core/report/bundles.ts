import { splitBundlePath } from '../bundle/layout';
import type { BundleFacts } from '../bundle/recognize';
import { bundleManifest, type ReportBundleInput, type ReportEvidenceInput } from './inputs';

/**
 * Each bundle of a case with the manifest its digest covers (`bundleManifest` of its files). The
 * caller hashes the manifest (node:crypto, hash-wasm): core takes digests as data.
 */
export function bundleManifests(
  bundles: readonly BundleFacts[],
  evidence: readonly ReportEvidenceInput[],
): { readonly bundle: Omit<ReportBundleInput, 'manifestSha256'>; readonly manifest: string }[] {
  return bundles.map((b) => {
    const files = evidence.filter((e) => splitBundlePath(e.path).root === b.root);
    return {
      bundle: {
        root: b.root,
        kind: b.kind,
        ...(b.host !== undefined ? { host: b.host } : {}),
        ...(b.sosVersion !== undefined ? { sosVersion: b.sosVersion } : {}),
        ...(b.collectedAt !== undefined ? { collectedAt: b.collectedAt } : {}),
        ...(b.timeZone !== undefined ? { timeZone: b.timeZone } : {}),
        files: files.length,
        bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      },
      manifest: bundleManifest(files),
    };
  });
}
