import { CheckpointError } from '@rlgf/contracts';
import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
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
