import { ModelFormatError } from '@rlgf/contracts';
import { readSafetensorsFile, writeSafetensorsFile, type CheckpointSource } from '@rlgf/models';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NgramModel } from './ngram-model';
import { reviewWordsTokenizer } from './review-words';

/** `model_type` of the checkpoints `rlgf train-reward --task imdb` writes. */
export const ngramModelType = 'rlgf-ngram-sentiment';

const weightName = 'ngram_weights';
const biasName = 'bias';

/** What is recorded beside the weights: how they were trained and how well they did. */
export interface NgramCheckpointInfo {
  readonly training: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, number>>;
}

function configJson(model: NgramModel, info: NgramCheckpointInfo): string {
  const config = {
    model_type: ngramModelType,
    architectures: ['HashedNgramLogisticRegression'],
    features: {
      tokenizer: model.features.tokenizer,
      ngram_max: model.features.ngramMax,
      buckets: model.features.buckets,
      hash: 'FNV-1a 32 of the UTF-16 code units of each n-gram (words joined by one space) modulo buckets; binary',
    },
    id2label: { '0': 'negative', '1': 'positive' },
    label2id: { negative: 0, positive: 1 },
    training: info.training,
    metrics: info.metrics,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes `config.json` and `model.safetensors` (`ngram_weights` [buckets], `bias` [1], F32) to
 * `dir`, through a staging folder renamed into place, so a crash never leaves half a checkpoint.
 */
export async function saveNgramCheckpoint(dir: string, model: NgramModel, info: NgramCheckpointInfo): Promise<void> {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(dir), `.${basename(dir)}.tmp-${suffix}`);
  const previous = join(dirname(dir), `.${basename(dir)}.old-${suffix}`);
  await mkdir(staging, { recursive: true });
  try {
    await writeFile(join(staging, 'config.json'), configJson(model, info));
    const tensors = { [weightName]: { shape: [model.weights.length], data: model.weights }, [biasName]: { shape: [1], data: Float32Array.of(model.bias) } };
    await writeSafetensorsFile(join(staging, 'model.safetensors'), tensors);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const replacing = await exists(dir);
  if (replacing) await rename(dir, previous);
  await rename(staging, dir);
  if (replacing) await rm(previous, { recursive: true, force: true });
}

function featuresOf(config: Readonly<Record<string, unknown>>, file: string): NgramModel['features'] {
  const features = (config.features ?? {}) as Record<string, unknown>;
  const { tokenizer, ngram_max: ngramMax, buckets } = features;
  if (tokenizer !== reviewWordsTokenizer) {
    throw new ModelFormatError({ file, message: `uses word tokenizer ${JSON.stringify(tokenizer)}; this version reads "${reviewWordsTokenizer}"`, hint: 'retrain it with this version: rlgf train-reward --task imdb' });
  }
  if (!Number.isInteger(ngramMax) || (ngramMax as number) < 1 || !Number.isInteger(buckets) || (buckets as number) < 1) {
    throw new ModelFormatError({ file, message: 'features.ngram_max and features.buckets must be positive integers', hint: 'the checkpoint is damaged: train it again' });
  }
  return { tokenizer, ngramMax: ngramMax as number, buckets: buckets as number };
}

/** Reads a checkpoint written by {@link saveNgramCheckpoint}, given its parsed config.json. */
export async function readNgramCheckpoint(files: CheckpointSource, config: Readonly<Record<string, unknown>>): Promise<NgramModel> {
  const features = featuresOf(config, `${files.label}/config.json`);
  if (!files.has('model.safetensors')) {
    throw new ModelFormatError({ file: files.label, message: 'has no model.safetensors', hint: 'the checkpoint is incomplete: train it again with rlgf train-reward --task imdb' });
  }
  const path = await files.localPath('model.safetensors');
  const { tensors } = await readSafetensorsFile(path, { names: [weightName, biasName] });
  const weights = tensors.get(weightName);
  const bias = tensors.get(biasName);
  if (!weights || !bias || weights.data.length !== features.buckets || bias.data.length !== 1) {
    throw new ModelFormatError({ file: path, message: `expected ${weightName} [${features.buckets}] and ${biasName} [1]`, hint: 'the checkpoint is damaged: train it again' });
  }
  return { features, weights: weights.data, bias: bias.data[0] };
}
