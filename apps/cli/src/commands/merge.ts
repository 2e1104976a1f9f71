import { loadLanguageModel, resolveModelReference, saveLanguageModel, setBackend } from '@rlgf/models';
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { action, printJson, type CommandFactory } from '../command-kit';
import { adapterDir, withAdapter } from '../composition/adapter';
import { createHub } from '../composition/hub';
import { cacheDirectory } from '../composition/run-environment';

interface MergeOptions {
  readonly model: string;
  readonly adapter: string;
  readonly out: string;
  readonly json?: boolean;
}

export const mergeCommand: CommandFactory = (io) =>
  new Command('merge')
    .description("merge a PEFT LoRA adapter into its base and write the full model in the Hub layout (PEFT's merge_and_unload)")
    .requiredOption('--model <dir|hub id>', 'the base model the adapter was trained on (folder or Hub id; llama2.c models are converted on first use)')
    .requiredOption('--adapter <dir>', 'PEFT adapter folder (adapter_config.json + adapter_model.safetensors)')
    .requiredOption('--out <dir>', 'folder to write config.json, model.safetensors and the tokenizer files to; replaced as a whole if it exists')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nEach adapted weight becomes W + (alpha / r)·B·A (alpha / √r with use_rslora), rounded to float32 as PyTorch does; the output loads with no adapter, here or in transformers.')
    .action(
      action<MergeOptions>(io, async ({ logger }, options) => {
        const adapter = adapterDir(io.cwd, options.adapter) as string;
        const local = resolve(io.cwd, options.model);
        const source = existsSync(local) ? local : options.model;
        // The merge is host arithmetic on the weights (mergeAdapter); the cpu backend only holds them while loading.
        await setBackend('cpu');
        const hub = createHub({ env: io.env, cwd: io.cwd, logger });
        const base = await loadLanguageModel(await resolveModelReference({ source }, { hub, cacheDir: cacheDirectory(io), logger }), { hub, trainable: false });
        const model = await withAdapter(base, adapter);
        try {
          const outDir = resolve(io.cwd, options.out);
          // The view's weights are the merged ones; its config and tokenizer files are the base's.
          await saveLanguageModel(model, outDir);
          const result = { outDir, parameterCount: base.info.parameterCount };
          if (options.json) printJson(io, result);
          else io.stdout(`wrote the merged model (${result.parameterCount} parameters) to ${outDir}\n`);
        } finally {
          model.dispose();
        }
      }),
    );
