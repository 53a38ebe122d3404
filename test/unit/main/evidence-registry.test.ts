import { describe, expect, it } from 'vitest';
import { EvidenceRegistry, isEvidenceToken } from '../../../src/main/evidence-registry';

describe('EvidenceRegistry', () => {
  it('hands out a fresh UUID token per registration and resolves it', () => {
    const registry = new EvidenceRegistry();
    const a = registry.register('/cases/one/kern.log');
    const b = registry.register('/cases/one/kern.log');
    expect(isEvidenceToken(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(registry.lookup(a)).toBe('/cases/one/kern.log');
    expect(registry.size).toBe(2);
  });

  it('refuses unknown tokens, malformed ones and prototype keys', () => {
    const registry = new EvidenceRegistry();
    registry.register('/cases/one/kern.log');
    expect(registry.lookup('0f8fad5b-d9cb-469f-a165-70867728950e')).toBeUndefined();
    for (const bad of ['', '__proto__', 'constructor', 'hasOwnProperty', '../../etc/passwd', '0'.repeat(36)]) {
      expect(registry.lookup(bad)).toBeUndefined();
    }
  });

  it('refuses relative paths and null bytes', () => {
    const registry = new EvidenceRegistry();
    expect(() => registry.register('kern.log')).toThrow(/absolute/);
    expect(() => registry.register('/x\0y')).toThrow(/absolute/);
    expect(registry.size).toBe(0);
  });

  it('refuses a malformed or colliding token from the generator', () => {
    expect(() => new EvidenceRegistry(() => 'guessable').register('/x')).toThrow(/malformed/);
    const fixed = new EvidenceRegistry(() => '0f8fad5b-d9cb-469f-a165-70867728950e');
    fixed.register('/x');
    expect(() => fixed.register('/y')).toThrow(/collision/);
    expect(fixed.lookup('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('/x');
  });
});
