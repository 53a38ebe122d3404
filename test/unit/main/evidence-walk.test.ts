import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePickedFile, walkEvidenceFolder } from '../../../src/main/evidence-walk';

let tmp: string;
let bundle: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'loupe-walk-'));
  bundle = path.join(tmp, 'sosreport-rack1');
  await mkdir(path.join(bundle, 'var', 'log', 'maas'), { recursive: true });
  await writeFile(path.join(bundle, 'var', 'log', 'kern.log'), 'kernel\n');
  await writeFile(path.join(bundle, 'var', 'log', 'maas', 'regiond.log'), 'region\n');
  await writeFile(path.join(bundle, 'sos_commands'), '');
  await writeFile(path.join(tmp, 'outside.txt'), 'secret');
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('walkEvidenceFolder', () => {
  it('lists regular files with paths starting at the folder name, in name order', async () => {
    const { files, truncated, skipped } = await walkEvidenceFolder(bundle);
    expect(files.map((f) => f.relativePath)).toEqual([
      'sosreport-rack1/sos_commands',
      'sosreport-rack1/var/log/kern.log',
      'sosreport-rack1/var/log/maas/regiond.log',
    ]);
    expect(truncated).toBe(false);
    expect(skipped).toBe(0);
    const kern = files[1];
    expect(kern?.absolutePath).toBe(path.join(bundle, 'var', 'log', 'kern.log'));
    expect(kern?.size).toBe(7);
    expect(Number.isInteger(kern?.lastModified)).toBe(true);
  });

  it('skips symlinks to files and folders, inside or outside the bundle', async () => {
    await symlink(path.join(tmp, 'outside.txt'), path.join(bundle, 'leak.txt'));
    await symlink(tmp, path.join(bundle, 'up'));
    await symlink(bundle, path.join(bundle, 'var', 'loop'));
    const { files, skipped } = await walkEvidenceFolder(bundle);
    expect(files.map((f) => f.relativePath)).not.toContainEqual(expect.stringMatching(/leak|up|loop/));
    expect(files).toHaveLength(3);
    expect(skipped).toBe(3);
  });

  it.skipIf(process.platform === 'win32')('skips FIFOs (reading one would block)', async () => {
    execFileSync('mkfifo', [path.join(bundle, 'pipe')]);
    const { files, skipped } = await walkEvidenceFolder(bundle);
    expect(files.map((f) => f.relativePath)).not.toContain('sosreport-rack1/pipe');
    expect(skipped).toBe(1);
  });

  it('stops at the file cap and says so', async () => {
    const { files, truncated } = await walkEvidenceFolder(bundle, { maxFiles: 2 });
    expect(files).toHaveLength(2);
    expect(truncated).toBe(true);
    expect((await walkEvidenceFolder(bundle, { maxFiles: 3 })).truncated).toBe(false);
  });

  it('skips folders beyond the depth cap', async () => {
    const { files, skipped } = await walkEvidenceFolder(bundle, { maxDepth: 3 });
    expect(files.map((f) => f.relativePath)).toEqual(['sosreport-rack1/sos_commands', 'sosreport-rack1/var/log/kern.log']);
    expect(skipped).toBe(1);
  });

  it('gives an empty list for an unreadable or missing folder', async () => {
    const result = await walkEvidenceFolder(path.join(tmp, 'missing'));
    expect(result.files).toEqual([]);
    expect(result.skipped).toBe(1);
  });
});

describe('describePickedFile', () => {
  it('describes a picked file by its base name', async () => {
    const file = await describePickedFile(path.join(bundle, 'var', 'log', 'kern.log'));
    expect(file).toMatchObject({ relativePath: 'kern.log', size: 7 });
  });

  it('refuses folders and missing paths', async () => {
    expect(await describePickedFile(bundle)).toBeUndefined();
    expect(await describePickedFile(path.join(tmp, 'nope'))).toBeUndefined();
  });
});
