import type { HubFilesV1, TokenizerV1 } from '@rlgf/contracts';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { readCheckpoint, resolveModelReference } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shared Hub mirror, offline: datasets and models as a run reads them. */
export const mirrorHub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });

/**
 * The tokenizer of llama2.c's stories260K (512 tokens, BOS first), as a recipe gets it: the Hub id
 * resolved (and converted) by `resolveModelReference`.
 */
export async function storiesTokenizer(): Promise<TokenizerV1> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-task-tldr-'));
  try {
    const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub: mirrorHub, cacheDir });
    return (await readCheckpoint(dir)).tokenizer;
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** GPT-2's byte-level BPE tokenizer (no BOS), from sshleifer/tiny-gpt2. */
export async function gpt2Tokenizer(): Promise<TokenizerV1> {
  return (await readCheckpoint('sshleifer/tiny-gpt2', { hub: mirrorHub })).tokenizer;
}
