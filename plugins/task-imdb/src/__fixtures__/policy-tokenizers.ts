import type { TokenizerV1 } from '@rlgf/contracts';
import { convertLlama2c, readCheckpoint } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The tokenizer of llama2.c's stories260K (512 tokens, BOS first), converted from tok512.bin. */
export async function storiesTokenizer(): Promise<TokenizerV1> {
  const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
  const dir = await mkdtemp(join(tmpdir(), 'rlgf-task-imdb-stories-'));
  try {
    await convertLlama2c({ checkpointPath: join(stories, 'stories260K.bin'), tokenizerPath: join(stories, 'tok512.bin'), outDir: join(dir, 'stories') });
    return (await readCheckpoint(join(dir, 'stories'))).tokenizer;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** GPT-2's byte-level BPE tokenizer (no BOS), from sshleifer/tiny-gpt2's vocab.json + merges.txt. */
export async function gpt2Tokenizer(): Promise<TokenizerV1> {
  return (await readCheckpoint(join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2'))).tokenizer;
}
