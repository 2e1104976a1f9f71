import { createConsoleLogger } from '../logging/console-logger';
import { createProgress } from './progress';
import { createTerminalWriter } from './terminal-writer';

const eraseLine = '\x1b[2K';

/** The lines a terminal shows for `output`: `\r` returns to the line start, ESC[2K erases the line. */
function screen(output: string): string[] {
  const lines = [''];
  for (const part of output.replaceAll(eraseLine, '\0').split(/(\r|\0|\n)/)) {
    if (part === '\r') continue;
    if (part === '\0') lines[lines.length - 1] = '';
    else if (part === '\n') lines.push('');
    else lines[lines.length - 1] += part;
  }
  return lines;
}

function fakeTty() {
  let output = '';
  const write = createTerminalWriter((text) => {
    output += text;
  });
  const logger = createConsoleLogger({ write: (line) => write(`${line}\n`) });
  const progress = createProgress({ label: 'iteration', total: 4, isTty: true, write, now: () => 0 });
  return { logger, progress, screen: () => screen(output) };
}

describe('log lines and a progress bar on one terminal', () => {
  it('scrolls each log line above the bar instead of gluing it onto the bar', () => {
    const tty = fakeTty();
    tty.progress.update(1, { reward: 0.5 });
    tty.logger.info('evaluation on validation at iteration 1: reward 0.5000');
    tty.logger.warn('the guide failed on 2 sample(s)');
    tty.progress.update(2, { reward: 0.625 });
    tty.progress.finish();
    tty.logger.info('done');
    expect(tty.screen()).toEqual([
      'rlgf: evaluation on validation at iteration 1: reward 0.5000',
      'rlgf: warn: the guide failed on 2 sample(s)',
      '[############............] 2/4 50%  reward 0.625  ETA 0s',
      'rlgf: done',
      '',
    ]);
  });

  it('writes log lines as they are when no bar is drawn', () => {
    const tty = fakeTty();
    tty.logger.info('loading');
    expect(tty.screen()).toEqual(['rlgf: loading', '']);
  });
});
