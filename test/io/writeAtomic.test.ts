import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempPrefix, writeFileAtomic } from '../../src/io/writeAtomic.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wizard-atomic-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file whole with the exact mode, whatever the umask, durable or not', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, 'old old old old', { mode: 0o644 });
    const umask = process.umask(0o077);
    try {
      await writeFileAtomic(file, 'new', { mode: 0o644 });
      expect((await stat(file)).mode & 0o777).toBe(0o644);
      await writeFileAtomic(file, 'newer', { mode: 0o600, durable: true });
    } finally {
      process.umask(umask);
    }
    expect(await readFile(file, 'utf8')).toBe('newer');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('replaces a symbolic link itself, never the file it points to', async () => {
    const target = join(dir, 'elsewhere');
    await writeFile(target, 'keep');
    await symlink(target, join(dir, 'tls.key'));
    await writeFileAtomic(join(dir, 'tls.key'), 'key', { mode: 0o600 });
    expect(await readFile(target, 'utf8')).toBe('keep');
    expect(await readFile(join(dir, 'tls.key'), 'utf8')).toBe('key');
  });

  it('a failed rename leaves no temp file behind (what a crash cleanup would look for)', async () => {
    await mkdir(join(dir, 'busy'));
    await writeFile(join(dir, 'busy', 'x'), '');
    await expect(writeFileAtomic(join(dir, 'busy'), 'data', { mode: 0o600 })).rejects.toThrow();
    expect((await readdir(dir)).filter((n) => n.startsWith(tempPrefix('busy')))).toEqual([]);
  });
});
