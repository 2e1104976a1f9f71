import { InvalidArgumentError } from '@rlgf/contracts';
import { isPeftAdapterDir, withPeftAdapter, type TrainableLanguageModel } from '@rlgf/models';
import { Option } from 'commander';
import { resolve } from 'node:path';

/** `--adapter <dir>`, shared by the commands that run a model (generate, eval, serve). */
export function adapterOption(): Option {
  return new Option(
    '--adapter <dir>',
    "a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors, as PEFT's save_pretrained or an rlgf LoRA run writes it) applied to --model; the base is loaded once, unmerged",
  );
}

/**
 * The folder `--adapter` names, checked before the model loads so a wrong path fails at once,
 * in one line; undefined without the flag.
 */
export function adapterDir(cwd: string, adapter: string | undefined): string | undefined {
  if (adapter === undefined) return undefined;
  const dir = resolve(cwd, adapter);
  if (!isPeftAdapterDir(dir)) {
    throw new InvalidArgumentError({ argument: '--adapter', value: adapter, expected: 'a folder holding a PEFT adapter (adapter_config.json + adapter_model.safetensors)' });
  }
  return dir;
}

/** `model`, or `model` + the adapter in `dir` (the view then owns `model`: dispose what this returns). */
export function withAdapter(model: TrainableLanguageModel, dir: string | undefined): Promise<TrainableLanguageModel> {
  return dir === undefined ? Promise.resolve(model) : withPeftAdapter(model, dir);
}
