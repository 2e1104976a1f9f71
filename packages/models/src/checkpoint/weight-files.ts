import { ModelFormatError } from '@rlgf/contracts';
import { readSafetensorsFile, type SafetensorsContents } from '../safetensors/read-safetensors';
import { parseShardIndex, readShardedSafetensors } from '../safetensors/sharded-safetensors';
import { parseJsonFile } from '../tokenizers/load-tokenizer-files';
import { rejectNonFiniteWeights } from '../weights/finite-weights';
import type { CheckpointSource } from './checkpoint-source';

const pickleWeights = /(^|\/)(pytorch_model.*\.bin|.*\.(pt|pth|ckpt))$/;

/** How to turn PyTorch pickles into safetensors, for the error that refuses them. */
function conversionHint(label: string): string {
  return [
    'pickled PyTorch weights can run arbitrary code and are not loaded here; convert them to safetensors once with Python:',
    `  from transformers import AutoModelForCausalLM`,
    `  model = AutoModelForCausalLM.from_pretrained('${label}')`,
    `  model.save_pretrained('<out-dir>', safe_serialization=True)  # writes config.json + model.safetensors`,
    'or, for a bare state dict:',
    `  import torch; from safetensors.torch import save_file`,
    `  state = torch.load('pytorch_model.bin', map_location='cpu', weights_only=True)`,
    `  save_file({k: v.clone().contiguous() for k, v in state.items()}, 'model.safetensors', metadata={'format': 'pt'})`,
  ].join('\n');
}

/**
 * The weights of a checkpoint: `model.safetensors`, or the shards listed in
 * `model.safetensors.index.json`. Tensors that are not floats (integer buffers such as
 * `position_ids`) are left out and named in `skipped`; a tensor holding NaN or ±Infinity is refused.
 */
export async function readWeightFiles(source: CheckpointSource): Promise<SafetensorsContents & { readonly files: string[] }> {
  const contents = await readWeights(source);
  rejectNonFiniteWeights(contents.tensors, contents.files.length === 1 ? contents.files[0] : `${source.label}/model.safetensors.index.json`);
  return contents;
}

async function readWeights(source: CheckpointSource): Promise<SafetensorsContents & { readonly files: string[] }> {
  if (source.has('model.safetensors')) {
    const path = await source.localPath('model.safetensors');
    return { ...(await readSafetensorsFile(path, { unsupportedDtypes: 'skip' })), files: [path] };
  }
  if (source.has('model.safetensors.index.json')) {
    const indexFile = `${source.label}/model.safetensors.index.json`;
    const index = parseShardIndex(parseJsonFile(await source.readText('model.safetensors.index.json'), indexFile), indexFile);
    const files: string[] = [];
    const contents = await readShardedSafetensors(
      index,
      async (shard) => {
        if (!source.has(shard)) throw new ModelFormatError({ file: indexFile, message: `names shard ${shard}, which the checkpoint does not have`, hint: 'download the complete checkpoint' });
        const path = await source.localPath(shard);
        files.push(path);
        return path;
      },
      { unsupportedDtypes: 'skip' },
    );
    return { ...contents, files };
  }
  const pickles = source.names.filter((name) => pickleWeights.test(name));
  throw new ModelFormatError({
    file: source.label,
    message:
      pickles.length > 0
        ? `has only pickled PyTorch weights (${pickles.join(', ')}), no model.safetensors`
        : 'has no weights: neither model.safetensors nor model.safetensors.index.json',
    hint: pickles.length > 0 ? conversionHint(source.label) : `it has: ${source.names.join(', ') || '(no files)'}`,
  });
}
