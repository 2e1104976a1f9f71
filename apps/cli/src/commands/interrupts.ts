import type { LoggerV1 } from '@rlgf/contracts';
import { describeStageProgress, type StageInProgress } from '@rlgf/trainer';

/** What a command does with Ctrl-C and SIGTERM (what `timeout`, systemd and Kubernetes send). */
export interface Interrupts {
  /** Tells which stage runs now (undefined between stages): `runStages`'s `onStage`. */
  readonly onStage: (stage: StageInProgress | undefined) => void;
  /** Restores the default handling. */
  release(): void;
}

const exitCode = (signal: NodeJS.Signals) => (signal === 'SIGTERM' ? 143 : 130);

/**
 * First signal: inside a stage, stop at once with one line saying what is kept and the command
 * that continues (a stage has no iteration to finish first, and its checkpoints are written whole
 * or not at all); elsewhere `outsideStages` (the trainer stops after the current iteration). A
 * second signal exits at once.
 */
export function handleInterrupts(options: { logger: LoggerV1; continueCommand: string; outsideStages: (signal: NodeJS.Signals) => void }): Interrupts {
  let stage: StageInProgress | undefined;
  let interrupts = 0;
  const handler = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1 && stage === undefined) {
      options.outsideStages(signal);
      return;
    }
    if (stage !== undefined) {
      options.logger.warn(`${signal}: stopped in stage ${stage.name}; ${describeStageProgress(stage)}, finished stages are kept; continue with \`${options.continueCommand}\``);
    }
    process.exit(exitCode(signal));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    onStage: (current) => {
      stage = current;
    },
    release() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** For commands with nothing to finish first: stop at once, saying what is kept and how to continue. */
export function stopNow(logger: LoggerV1, kept: string, continueCommand: string): (signal: NodeJS.Signals) => void {
  return (signal) => {
    logger.warn(`${signal}: stopped; ${kept}; continue with \`${continueCommand}\``);
    process.exit(exitCode(signal));
  };
}
