import { CheckpointError, type LoggerV1 } from '@rlgf/contracts';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCheckpoint } from './choose-checkpoint';
import { createDirectoryCheckpointStore } from './directory-checkpoint-store';

/** The error `promise` rejects with (the trainer does not depend on @rlgf/testing's `rejectionOf`). */
const rejectionOf = <E>(promise: Promise<unknown>): Promise<E> =>
  promise.then(
    () => Promise.reject(new Error('expected a rejection')),
    (error: E) => error,
  );

let warnings: string[];
const logger: LoggerV1 = { debug: () => undefined, info: () => undefined, warn: (line) => warnings.push(line), error: () => undefined };

/** A run directory with checkpoints after the given iterations, each holding `weights` = its iteration. */
async function runWith(iterations: readonly number[]) {
  const runDir = await mkdtemp(join(tmpdir(), 'rlgf-choose-'));
  const store = createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: 10 });
  for (const iteration of iterations) await store.save(iteration, (dir) => writeFile(join(dir, 'weights'), `weights ${iteration}`));
  const weights = (iteration: number) => join(runDir, 'checkpoints', `iteration-${String(iteration).padStart(6, '0')}`, 'weights');
  return { runDir, store, weights };
}

beforeEach(() => {
  warnings = [];
});

describe('chooseCheckpoint', () => {
  it('resumes from the newest checkpoint when it is intact', async () => {
    const { runDir, store } = await runWith([2, 4]);
    expect((await chooseCheckpoint(store, { runDir, logger })).iteration).toBe(4);
    expect(warnings).toEqual([]);
  });

  it('stops on a damaged newest checkpoint, naming the newest intact one and the exact command', async () => {
    const { runDir, store, weights } = await runWith([2, 4, 6]);
    await writeFile(weights(6), 'weights X'); // same size, other bytes
    await writeFile(weights(4), 'w'); // truncated
    const error = await rejectionOf<CheckpointError>(chooseCheckpoint(store, { runDir, logger }));
    expect(CheckpointError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^the newest checkpoint ${runDir}/checkpoints/iteration-000006 is damaged \\(weights has sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}\\); the newest intact one is after iteration 2$`));
    expect(error.hint).toBe(`resume from it with \`rlgf train --resume ${runDir} --checkpoint 2\``);
    // Nothing was moved or deleted by the refusal.
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['iteration-000002', 'iteration-000004', 'iteration-000006']);
  });

  it('resumes from the checkpoint asked for and sets the later ones aside, intact', async () => {
    const { runDir, store, weights } = await runWith([2, 4, 6]);
    await writeFile(weights(6), 'weights X');
    const chosen = await chooseCheckpoint(store, { runDir, iteration: 2, logger });
    expect(chosen).toEqual({ iteration: 2, dir: join(runDir, 'checkpoints', 'iteration-000002') });
    expect((await store.list()).map((checkpoint) => checkpoint.iteration)).toEqual([2]);
    const setAside = (await readdir(join(runDir, 'checkpoints', 'set-aside'))).sort();
    expect(setAside.map((name) => name.slice(0, 'iteration-000004'.length))).toEqual(['iteration-000004', 'iteration-000006']);
    expect(await readFile(join(runDir, 'checkpoints', 'set-aside', setAside[1], 'weights'), 'utf8')).toBe('weights X');
    expect(warnings).toEqual([expect.stringMatching(/^resuming after iteration 2: moved the 2 later checkpoint\(s\) to .*set-aside\/iteration-000004-.*, .*set-aside\/iteration-000006-/)]);
  });

  it('refuses a damaged checkpoint asked for by name, pointing at another one', async () => {
    const { runDir, store, weights } = await runWith([2, 4]);
    await rm(weights(2));
    const error = await rejectionOf<CheckpointError>(chooseCheckpoint(store, { runDir, iteration: 2, logger }));
    expect(error.message).toBe(`checkpoint ${runDir}/checkpoints/iteration-000002 is damaged (weights is missing); the newest intact one is after iteration 4`);
    expect(error.hint).toBe(`resume from it with \`rlgf train --resume ${runDir} --checkpoint 4\``);
  });

  it('names the iterations it has when asked for one it does not', async () => {
    const { runDir, store } = await runWith([2, 4]);
    const error = await rejectionOf<CheckpointError>(chooseCheckpoint(store, { runDir, iteration: 3, logger }));
    expect(error.message).toBe(`run directory ${runDir} has no checkpoint after iteration 3`);
    expect(error.hint).toBe('it has checkpoints after iterations 2, 4');
  });

  it('says when no checkpoint is intact, and when there is none', async () => {
    const { runDir, store, weights } = await runWith([2]);
    await writeFile(weights(2), '');
    const error = await rejectionOf<CheckpointError>(chooseCheckpoint(store, { runDir, logger }));
    expect(error.message).toBe(`the newest checkpoint ${runDir}/checkpoints/iteration-000002 is damaged (weights has 0 bytes, the manifest says 9) and no other checkpoint of the run is intact`);
    expect(error.hint).toBe(`start the run again without --resume, after moving ${runDir} away`);
    const empty = await runWith([]);
    await expect(chooseCheckpoint(empty.store, { runDir: empty.runDir, logger })).rejects.toThrow(`run directory ${empty.runDir} has no checkpoint to resume from`);
  });

  it('resumes from a checkpoint written before manifests, with a warning', async () => {
    const { runDir, store } = await runWith([2]);
    await rm(join(runDir, 'checkpoints', 'iteration-000002', 'MANIFEST.json'));
    expect((await chooseCheckpoint(store, { runDir, logger })).iteration).toBe(2);
    expect(warnings).toEqual([`checkpoint ${runDir}/checkpoints/iteration-000002 has no manifest (written by an earlier version): resuming from it unchecked`]);
  });
});
