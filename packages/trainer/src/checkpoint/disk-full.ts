import { CheckpointError } from '@rlgf/contracts';

/** ENOSPC: the disk is full; EDQUOT: the user's quota is (same remedy). */
const diskFullCodes = new Set(['ENOSPC', 'EDQUOT']);

export function isDiskFull(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && diskFullCodes.has((error as NodeJS.ErrnoException).code ?? '');
}

/**
 * The one-line error for a disk that filled up while `writing` a run file. Node's message for a
 * failed write names neither the file nor what is safe ("ENOSPC: no space left on device,
 * write"); this says both, since checkpoints are written whole or not at all.
 */
export function diskFullError(options: {
  /** What was being written (a path, or a phrase that names one). */
  readonly writing: string;
  /** What the failed write left intact, as a clause: "the last checkpoint, …, is intact". */
  readonly kept: string;
  /** The command that continues the run, for the hint. */
  readonly resumeCommand?: string;
  readonly cause: NodeJS.ErrnoException;
}): CheckpointError {
  const where = options.cause.path && !options.writing.includes(options.cause.path) ? ` (${options.cause.path})` : '';
  return new CheckpointError({
    message: `no space left on the device (${options.cause.code}) writing ${options.writing}${where}; ${options.kept}`,
    hint: `free space on that disk${options.resumeCommand ? `, then continue with \`${options.resumeCommand}\`` : ', then resume the run'}`,
    cause: options.cause,
  });
}
