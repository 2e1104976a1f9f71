import { CheckpointError } from '@rlgf/contracts';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectoryCheckpointStore } from './directory-checkpoint-store';

async function freshRoot() {
  return mkdtemp(join(tmpdir(), 'rlgf-ckpt-'));
}

describe('directory checkpoint store', () => {
  it('saves atomically, lists in order and keeps the last K', async () => {
    const root = await freshRoot();
    const store = createDirectoryCheckpointStore({ root, keep: 2 });
    for (const iteration of [5, 10, 15]) {
      await store.save(iteration, (dir) => writeFile(join(dir, 'state.json'), JSON.stringify({ iteration })));
    }
    const listed = await store.list();
    expect(listed.map((c) => c.iteration)).toEqual([10, 15]);
    expect((await store.latest())?.iteration).toBe(15);
    expect(JSON.parse(await readFile(join(listed[1].dir, 'state.json'), 'utf8'))).toEqual({ iteration: 15 });
    expect((await readdir(root)).sort()).toEqual(['iteration-000010', 'iteration-000015']);
  });

  it('leaves earlier checkpoints intact when a write fails, and no half-written one', async () => {
    const root = await freshRoot();
    const store = createDirectoryCheckpointStore({ root, keep: 3 });
    await store.save(1, (dir) => writeFile(join(dir, 'a'), '1'));
    await expect(
      store.save(2, async (dir) => {
        await writeFile(join(dir, 'a'), 'partial');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect((await store.list()).map((c) => c.iteration)).toEqual([1]);
    expect(await readdir(root)).toEqual(['iteration-000001']);
  });

  it('stops a disk-full checkpoint in one line naming it and the intact one before it', async () => {
    const root = await freshRoot();
    const store = createDirectoryCheckpointStore({ root, keep: 3, resumeCommand: 'rlgf train --resume runs/x' });
    const first = await store.save(1, (dir) => writeFile(join(dir, 'a'), '1'));
    // What writing the weights throws when the disk is full (Node names no file for a write).
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const error = await store
      .save(2, async (dir) => {
        await writeFile(join(dir, 'a'), 'part');
        throw full;
      })
      .catch((caught: unknown) => caught);
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: `no space left on the device (ENOSPC) writing checkpoint ${join(root, 'iteration-000002')}; the last checkpoint, ${first.dir}, is intact`,
      hint: 'free space on that disk, then continue with `rlgf train --resume runs/x`',
      cause: full,
    });
    expect(await readdir(root)).toEqual(['iteration-000001']);
    expect(await store.check(first)).toEqual({ status: 'intact' });
    const empty = createDirectoryCheckpointStore({ root: await freshRoot(), keep: 1 });
    await expect(empty.save(0, () => Promise.reject(full))).rejects.toThrow(/; no checkpoint of the run was written yet$/);
  });

  it('ignores directories without the completion marker (a crash between write and rename)', async () => {
    const root = await freshRoot();
    await mkdir(join(root, 'iteration-000009'), { recursive: true });
    await writeFile(join(root, 'iteration-000009', 'state.json'), '{');
    const store = createDirectoryCheckpointStore({ root, keep: 2 });
    expect(await store.latest()).toBeUndefined();
  });

  it('replaces a checkpoint of the same iteration', async () => {
    const root = await freshRoot();
    const store = createDirectoryCheckpointStore({ root, keep: 2 });
    await store.save(3, (dir) => writeFile(join(dir, 'v'), 'first'));
    const saved = await store.save(3, (dir) => writeFile(join(dir, 'v'), 'second'));
    expect(await readFile(join(saved.dir, 'v'), 'utf8')).toBe('second');
    expect(await readdir(root)).toEqual(['iteration-000003']);
  });

  it('reports an empty store and rejects bad settings', async () => {
    const store = createDirectoryCheckpointStore({ root: join(await freshRoot(), 'missing'), keep: 1 });
    expect(await store.list()).toEqual([]);
    expect(() => createDirectoryCheckpointStore({ root: '/tmp', keep: 0 })).toThrow(CheckpointError);
  });
});

describe('checkpoint manifests', () => {
  // sha256("abc") and sha256("") from FIPS 180-2's examples, not recomputed here.
  const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  async function saved(root: string) {
    const store = createDirectoryCheckpointStore({ root, keep: 3 });
    const info = await store.save(4, async (dir) => {
      await mkdir(join(dir, 'policy'));
      await writeFile(join(dir, 'policy', 'model.safetensors'), 'abc');
      await writeFile(join(dir, 'state.json'), '');
    });
    return { store, info };
  }

  it('lists every file with its size and sha256, written before the completion marker', async () => {
    const { info } = await saved(await freshRoot());
    expect(JSON.parse(await readFile(join(info.dir, 'MANIFEST.json'), 'utf8'))).toEqual({
      format: 'rlgf-checkpoint-manifest/v1',
      files: { 'policy/model.safetensors': { bytes: 3, sha256: abc }, 'state.json': { bytes: 0, sha256: empty } },
    });
    expect((await readdir(info.dir)).sort()).toEqual(['COMPLETE', 'MANIFEST.json', 'policy', 'state.json']);
  });

  it('finds a file overwritten with other bytes of the same size, a truncated one and a missing one', async () => {
    const { store, info } = await saved(await freshRoot());
    expect(await store.check(info)).toEqual({ status: 'intact' });
    // NaN bytes of float32 (0x7fc00000, little-endian) in place of the first three bytes.
    await writeFile(join(info.dir, 'policy', 'model.safetensors'), Buffer.from([0x00, 0xc0, 0x7f]));
    expect(await store.check(info)).toEqual({
      status: 'damaged',
      reason: `policy/model.safetensors has sha256 ${createHash('sha256').update(Buffer.from([0x00, 0xc0, 0x7f])).digest('hex')}, the manifest says ${abc}`,
    });
    await writeFile(join(info.dir, 'policy', 'model.safetensors'), 'ab');
    expect(await store.check(info)).toEqual({ status: 'damaged', reason: 'policy/model.safetensors has 2 bytes, the manifest says 3' });
    await rm(join(info.dir, 'policy'), { recursive: true });
    expect(await store.check(info)).toEqual({ status: 'damaged', reason: 'policy/model.safetensors is missing' });
    await writeFile(join(info.dir, 'MANIFEST.json'), '{"format":');
    expect(await store.check(info)).toEqual({ status: 'damaged', reason: 'MANIFEST.json cannot be read' });
  });

  it('calls a checkpoint written before manifests unverified, not damaged', async () => {
    const { store, info } = await saved(await freshRoot());
    await rm(join(info.dir, 'MANIFEST.json'));
    expect(await store.check(info)).toEqual({ status: 'unverified' });
  });

  it('sets later checkpoints aside without deleting them, so pruning keeps the new ones', async () => {
    const root = await freshRoot();
    const store = createDirectoryCheckpointStore({ root, keep: 2 });
    for (const iteration of [2, 4]) await store.save(iteration, (dir) => writeFile(join(dir, 'v'), String(iteration)));
    const moved = await store.setAsideAfter(2);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatch(new RegExp(`^${root}/set-aside/iteration-000004-`));
    expect(await readFile(join(moved[0], 'v'), 'utf8')).toBe('4');
    await store.save(3, (dir) => writeFile(join(dir, 'v'), '3'));
    expect((await store.list()).map((c) => c.iteration)).toEqual([2, 3]);
  });
});
