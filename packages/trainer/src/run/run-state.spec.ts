import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunState, writeRunState } from './run-state';

const kl = { kind: 'fixed', coef: 0.05 } as const;

describe('run state', () => {
  it('round-trips the iterations completed, as folders and messages count them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-state-'));
    await writeRunState(dir, { algorithm: 'd2lols', seed: 3, iteration: 4, phase: 'ppo++', kl });
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))).toMatchObject({ format: 'rlgf-run-state/v2', iteration: 4 });
    expect(await readRunState(dir)).toEqual({ format: 'rlgf-run-state/v2', algorithm: 'd2lols', seed: 3, iteration: 4, phase: 'ppo++', kl });
  });

  it('reads a checkpoint written before iterations were counted from 1 (v1 held the last 0-based index)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-state-'));
    await writeFile(join(dir, 'state.json'), JSON.stringify({ format: 'rlgf-run-state/v1', algorithm: 'ppo', seed: 0, iteration: 3, phase: 'ppo', kl }));
    expect((await readRunState(dir)).iteration).toBe(4);
  });

  it('refuses a state.json that is not one, naming the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-state-'));
    await writeFile(join(dir, 'state.json'), JSON.stringify({ format: 'something/v9', iteration: 1, kl }));
    await expect(readRunState(dir)).rejects.toThrow(`checkpoint ${dir}: state.json is not an RLGF run state (format "something/v9")`);
  });
});
