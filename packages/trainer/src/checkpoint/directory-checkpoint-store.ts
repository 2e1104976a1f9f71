import { CheckpointError, type CheckpointInfoV1, type CheckpointStoreV1 } from '@rlgf/contracts';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifest, writeManifest, type ManifestCheck } from './checkpoint-manifest';
import { diskFullError, isDiskFull } from './disk-full';

const finalName = (iteration: number) => `iteration-${String(iteration).padStart(6, '0')}`;
const pattern = /^iteration-(\d{6,})$/;
const completeMarker = 'COMPLETE';

/** The store of a run's checkpoint directories, with the checks and moves resuming needs. */
export interface DirectoryCheckpointStore extends CheckpointStoreV1 {
  /** Compares a checkpoint's files with the manifest written with them (size, then sha256). */
  check(checkpoint: CheckpointInfoV1): Promise<ManifestCheck>;
  /**
   * Moves the checkpoints after `iteration` to `<root>/set-aside/` (nothing is deleted), so that a
   * run resumed from an earlier checkpoint neither prunes its own new checkpoints in their favour
   * nor resumes from them later. Returns where they went.
   */
  setAsideAfter(iteration: number): Promise<string[]>;
  /** `<root>/set-aside/`, where set-aside checkpoints (and the tracking rows after them) go. */
  readonly setAsideRoot: string;
}

/**
 * Checkpoints as directories `<root>/iteration-000020/`. Each is written into a temporary
 * directory, given a manifest of its files (sizes and sha256), marked complete, then renamed into
 * place, so a crash mid-write never leaves a checkpoint that looks complete and a file damaged
 * later is found on resume; the last `keep` are kept. A disk that fills up mid-write stops with
 * one line naming the checkpoint and the intact one before it.
 */
export function createDirectoryCheckpointStore(settings: {
  root: string;
  keep: number;
  /** The command that continues the run, named when a disk fills up mid-checkpoint. */
  resumeCommand?: string;
}): DirectoryCheckpointStore {
  if (!Number.isInteger(settings.keep) || settings.keep < 1) {
    throw new CheckpointError({ message: `checkpoint.keep must be a positive integer, got ${settings.keep}` });
  }

  const setAsideRoot = join(settings.root, 'set-aside');

  async function list(): Promise<CheckpointInfoV1[]> {
    let entries: string[];
    try {
      entries = await readdir(settings.root);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new CheckpointError({ message: `cannot read checkpoints in ${settings.root}`, cause });
    }
    const found: CheckpointInfoV1[] = [];
    for (const entry of entries) {
      const match = pattern.exec(entry);
      if (!match) continue;
      const dir = join(settings.root, entry);
      const files = await readdir(dir).catch(() => [] as string[]);
      if (files.includes(completeMarker)) found.push({ iteration: Number(match[1]), dir });
    }
    return found.sort((a, b) => a.iteration - b.iteration);
  }

  return {
    specificationVersion: 'v1',
    list,
    async latest() {
      const all = await list();
      return all[all.length - 1];
    },
    async save(iteration, write) {
      if (!Number.isInteger(iteration) || iteration < 0) {
        throw new CheckpointError({ message: `checkpoint iteration must be a non-negative integer, got ${iteration}` });
      }
      const dir = join(settings.root, finalName(iteration));
      const before = await list();
      try {
        await mkdir(settings.root, { recursive: true });
        await writeCheckpoint(settings.root, dir, iteration, write);
      } catch (cause) {
        if (!isDiskFull(cause)) throw cause;
        const last = before.at(-1);
        const kept = last ? `the last checkpoint, ${last.dir}, is intact` : 'no checkpoint of the run was written yet';
        throw diskFullError({ writing: `checkpoint ${dir}`, kept, resumeCommand: settings.resumeCommand, cause });
      }
      const all = await list();
      for (const old of all.slice(0, Math.max(0, all.length - settings.keep))) {
        await rm(old.dir, { recursive: true, force: true });
      }
      await removeStaleTemporaries(settings.root);
      return { iteration, dir };
    },
    check: (checkpoint) => checkManifest(checkpoint.dir),
    setAsideRoot,
    async setAsideAfter(iteration) {
      const later = (await list()).filter((checkpoint) => checkpoint.iteration > iteration);
      const moved: string[] = [];
      for (const checkpoint of later) {
        const target = join(setAsideRoot, `${finalName(checkpoint.iteration)}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
        await mkdir(setAsideRoot, { recursive: true });
        await rename(checkpoint.dir, target);
        moved.push(target);
      }
      return moved;
    },
  };
}

/**
 * Writes into a temporary directory, then the manifest and the completion marker, then renames
 * it into place; on failure the temporary directory is removed and nothing else was touched.
 */
async function writeCheckpoint(root: string, dir: string, iteration: number, write: (dir: string) => Promise<void>): Promise<void> {
  const temporary = join(root, `.${finalName(iteration)}.tmp-${process.pid}-${Date.now()}`);
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  try {
    await write(temporary);
    // Last, so that it describes the files as they were finished.
    await writeManifest(temporary, [completeMarker]);
    await writeFile(join(temporary, completeMarker), `${new Date().toISOString()}\n`);
    // Replacing an existing checkpoint of the same iteration: move it aside first, since a
    // directory cannot be renamed over a non-empty one.
    const displaced = `${dir}.old-${process.pid}-${Date.now()}`;
    const hadOld = await rename(dir, displaced).then(() => true, () => false);
    await rename(temporary, dir);
    if (hadOld) await rm(displaced, { recursive: true, force: true });
  } catch (cause) {
    await rm(temporary, { recursive: true, force: true });
    throw cause;
  }
}

async function removeStaleTemporaries(root: string): Promise<void> {
  const entries = await readdir(root);
  for (const entry of entries) {
    if (entry.startsWith('.iteration-') && entry.includes('.tmp-') && !entry.includes(`.tmp-${process.pid}-`)) {
      await rm(join(root, entry), { recursive: true, force: true });
    }
  }
}
