import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bombLimit,
  bytesToStream,
  decompress,
  DecompressionBombError,
  DecompressionError,
  detectCompression,
  limitOutput,
  peekHead,
} from '../../../../src/core/archive';
import { createNodeDecompressors, webXzDecoder, xzChildProcess } from '../../../../src/node/archive/decompressors';
import { createWebDecompressors, xzEndsWell } from '../../../../src/workers/decompressors';
import { collect, enc, lcgText, sameBytes, scratch, sh } from './helpers';

const box = scratch('decompress');
const node = createNodeDecompressors();
const text = lcgText(300_000, 11);

beforeAll(() => {
  writeFileSync(box.path('t.log'), text);
  sh(box.dir, 'tar', '--format=ustar', '-cf', 'u.tar', 't.log');
  sh(box.dir, 'tar', '--format=v7', '-cf', 'v7.tar', 't.log');
  sh(box.dir, 'tar', '--format=gnu', '-cf', 'g.tar', 't.log');
  sh(box.dir, 'gzip', '-k', 't.log');
  sh(box.dir, 'xz', '-k', 't.log');
  sh(box.dir, 'bzip2', '-k', 't.log');
  sh(box.dir, 'zstd', '-q', '-k', 't.log');
  sh(box.dir, 'zip', '-q', 't.zip', 't.log');
});
afterAll(() => box.remove());

const head = (name: string): Uint8Array => new Uint8Array(readFileSync(box.path(name))).subarray(0, 512);

describe('detectCompression', () => {
  it.each([
    ['t.log.gz', 'gzip'],
    ['t.log.xz', 'xz'],
    ['t.log.bz2', 'bzip2'],
    ['t.log.zst', 'zstd'],
    ['t.zip', 'zip'],
    ['u.tar', 'tar'],
    ['g.tar', 'tar'],
    ['v7.tar', 'tar'],
    ['t.log', 'none'],
  ])('%s is %s', (name, kind) => {
    expect(detectCompression(head(name))).toBe(kind);
  });

  it('short, empty and zero heads are none; a damaged v7 header is none', () => {
    expect(detectCompression(new Uint8Array(0))).toBe('none');
    expect(detectCompression(new Uint8Array([0x1f]))).toBe('none');
    expect(detectCompression(new Uint8Array(512))).toBe('none');
    const v7 = head('v7.tar').slice();
    v7[0]! ^= 1;
    expect(detectCompression(v7)).toBe('none');
    expect(detectCompression(enc.encode('BZh0'))).toBe('none');
  });
});

describe('decoders and the bomb guard', () => {
  it('Node gzip, xz and deflate-raw decoders give back the original bytes, fed in small chunks', async () => {
    expect(sameBytes(await collect(node.gzip(bytesToStream(readFileSync(box.path('t.log.gz')), 333))), text)).toBe(true);
    expect(sameBytes(await collect(node.xz(bytesToStream(readFileSync(box.path('t.log.xz')), 333))), text)).toBe(true);
    const { deflateRawSync } = await import('node:zlib');
    expect(sameBytes(await collect(node.deflateRaw(bytesToStream(deflateRawSync(text), 100))), text)).toBe(true);
  });

  it('damaged input is a DecompressionError; an input error passes through as it is', async () => {
    const xz = new Uint8Array(readFileSync(box.path('t.log.xz')));
    await expect(collect(node.xz(bytesToStream(xz.subarray(0, 2000))))).rejects.toThrow(/^xz data is damaged or truncated \(Unexpected end of input\)$/);
    await expect(collect(node.gzip(bytesToStream(readFileSync(box.path('t.log.gz')).subarray(0, 2000))))).rejects.toThrow(DecompressionError);
    const failing = (async function* () {
      yield xz.subarray(0, 100);
      throw new Error('disk went away');
    })();
    await expect(collect(node.xz(failing))).rejects.toThrow('disk went away');
    await expect(collect(xzChildProcess(bytesToStream(xz), 'no-such-xz-binary'))).rejects.toThrow(/^xz decoder not available/);
  });

  it('bombLimit is max(floor, ratio × input); limitOutput stops past it', async () => {
    expect(bombLimit(1000)).toBe(2 ** 30);
    expect(bombLimit(10 * 2 ** 20)).toBe(200 * 10 * 2 ** 20);
    expect(bombLimit(1000, { floor: 0, ratio: 3 })).toBe(3000);
    await expect(collect(limitOutput(bytesToStream(new Uint8Array(5000), 1000), 4500))).rejects.toThrow(DecompressionBombError);
    expect((await collect(limitOutput(bytesToStream(new Uint8Array(5000), 1000), 5000))).length).toBe(5000);
    const gz = new Uint8Array(readFileSync(box.path('t.log.gz')));
    await expect(collect(decompress('gzip', bytesToStream(gz), node, 100_000))).rejects.toThrow(
      'gzip output passed 100000 bytes: looks like a decompression bomb; stopped',
    );
    expect(() => decompress('bzip2', bytesToStream(gz), node, 1)).toThrow(new DecompressionError('bzip2 is not supported'));
  });

  it('a wasm xz TransformStream (stand-in: identity) is checked for the stream footer, as the decoder ends quietly on cut input', async () => {
    const xz = new Uint8Array(readFileSync(box.path('t.log.xz')));
    expect(xzEndsWell(xz)).toBe(true);
    expect(xzEndsWell(xz.subarray(0, xz.length - 1))).toBe(false);
    const padded = new Uint8Array(xz.length + 8);
    padded.set(xz);
    expect(xzEndsWell(padded)).toBe(true);
    const identity = (): TransformStream<Uint8Array, Uint8Array> => new TransformStream<Uint8Array, Uint8Array>();
    const web = createWebDecompressors({ xz: identity });
    expect(sameBytes(await collect(web.xz(bytesToStream(xz, 7))), xz)).toBe(true);
    await expect(collect(web.xz(bytesToStream(xz.subarray(0, 3000), 7)))).rejects.toThrow('xz data is truncated (no end of stream)');
    const nodeWasm = webXzDecoder(async () => identity());
    await expect(collect(nodeWasm(bytesToStream(xz.subarray(0, 3000))))).rejects.toThrow('xz data is truncated (no end of stream)');
    const broken = createWebDecompressors({
      xz: () => {
        throw new Error('wasm blocked');
      },
    });
    await expect(collect(broken.xz(bytesToStream(xz)))).rejects.toThrow('xz decoder not available (wasm blocked)');
    await expect(collect(createWebDecompressors().xz(bytesToStream(xz)))).rejects.toThrow('xz decoder not available');
  });

  it('peekHead hands back the whole stream', async () => {
    const { head: h, stream } = await peekHead(bytesToStream(text, 100), 512);
    expect(h.length).toBe(512);
    expect(sameBytes(await collect(stream), text)).toBe(true);
    const short = await peekHead(bytesToStream(text.subarray(0, 10), 3), 512);
    expect(short.head.length).toBe(10);
    expect((await collect(short.stream)).length).toBe(10);
  });
});
