import { createProgress, formatDuration } from './progress';

function recorder(isTty: boolean, mode?: 'auto' | 'bar' | 'lines' | 'none') {
  const out: string[] = [];
  let clock = 0;
  const progress = createProgress({ label: 'iteration', total: 10, isTty, mode, write: (t) => out.push(t), now: () => clock });
  return { out, progress, tick: (ms: number) => (clock += ms) };
}

describe('progress', () => {
  it('prints plain lines with an ETA from the average time per unit when not on a terminal', () => {
    const { out, progress, tick } = recorder(false);
    progress.update(0, { reward: 0.5 });
    tick(2000);
    progress.update(2, { reward: 0.61234, kl: 0.0001234, phase: 'ppo++' });
    expect(out).toEqual(['iteration 0/10  reward 0.500  ETA ?\n', 'iteration 2/10  reward 0.612  kl 1.23e-4  phase ppo++  ETA 8s\n']);
  });

  it('redraws a bar on a terminal and ends it with a newline', () => {
    const { out, progress, tick } = recorder(true);
    progress.update(0);
    tick(60_000);
    progress.update(5);
    progress.finish();
    expect(out[1]).toBe('\r\x1b[2K[############............] 5/10 50%    ETA 1m00s');
    expect(out[2]).toBe('\n');
  });

  it('counts the rate from the first update, so a resumed run estimates correctly', () => {
    const { out, progress, tick } = recorder(false);
    progress.update(8);
    tick(1000);
    progress.update(9);
    expect(out[1]).toContain('ETA 1s');
  });

  it('prints lines for every 5% of the work or every 10 s, plus the first and the last', () => {
    const out: string[] = [];
    let clock = 0;
    const progress = createProgress({ label: 'step', total: 100, isTty: false, write: (t) => out.push(t), now: () => clock });
    for (let done = 1; done <= 100; done++) progress.update(done);
    expect(out).toHaveLength(21);
    expect(out[out.length - 1]).toMatch(/^step 100\/100/);
    out.length = 0;
    const slow = createProgress({ label: 'step', total: 1000, isTty: false, write: (t) => out.push(t), now: () => clock });
    slow.update(1);
    clock += 11_000;
    slow.update(2);
    slow.update(3);
    expect(out.map((line) => line.split(' ')[1])).toEqual(['1/1000', '2/1000']);
  });

  it('stays silent in mode none and formats durations', () => {
    const { out, progress } = recorder(true, 'none');
    progress.update(3);
    progress.finish();
    expect(out).toEqual([]);
    expect(formatDuration(3_725_000)).toBe('1h02m');
    expect(formatDuration(-1)).toBe('?');
  });
});
