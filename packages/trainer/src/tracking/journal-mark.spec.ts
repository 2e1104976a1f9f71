import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';
import { markJournalOnSave, readJournalMark } from './journal-mark';

describe('journal marks', () => {
  it('record in each checkpoint, under its manifest, how many rows it covers', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rlgf-mark-'));
    let rows = { metrics: 3, evaluations: 2 };
    const store = markJournalOnSave(createDirectoryCheckpointStore({ root, keep: 5 }), () => rows);
    const first = await store.save(2, (dir) => writeFile(join(dir, 'state.json'), '{}'));
    rows = { metrics: 4, evaluations: 2 };
    const second = await store.save(3, (dir) => writeFile(join(dir, 'state.json'), '{}'));
    expect(await readJournalMark(first.dir, 2)).toEqual({ kind: 'rows', rows: { metrics: 3, evaluations: 2 } });
    expect(await readJournalMark(second.dir, 3)).toEqual({ kind: 'rows', rows: { metrics: 4, evaluations: 2 } });
    expect(Object.keys(JSON.parse(await readFile(join(first.dir, 'MANIFEST.json'), 'utf8')).files)).toEqual(['journal.json', 'state.json']);
  });

  it('fall back to the iteration for a checkpoint written before them', async () => {
    expect(await readJournalMark(await mkdtemp(join(tmpdir(), 'rlgf-mark-')), 7)).toEqual({ kind: 'through-iteration', iteration: 7 });
  });
});
