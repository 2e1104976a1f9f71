import { convertLlama2c } from '@rlgf/models';
import { Command } from 'commander';
import { resolve } from 'node:path';
import { action, printJson, type CommandFactory } from '../command-kit';

interface Llama2cOptions {
  readonly checkpoint: string;
  readonly tokenizer: string;
  readonly out: string;
  readonly json?: boolean;
}

const llama2cCommand: CommandFactory = (io) =>
  new Command('llama2c')
    .description("convert a llama2.c model (.bin + tokenizer .bin) to a Hub-style Llama folder (config.json, model.safetensors, tokenizer.json)")
    .requiredOption('--checkpoint <file.bin>', 'llama2.c checkpoint, legacy format (e.g. stories260K.bin)')
    .requiredOption('--tokenizer <tok.bin>', 'llama2.c tokenizer (e.g. tok512.bin)')
    .requiredOption('--out <dir>', 'folder to write; replaced as a whole if it exists')
    .option('--json', 'print the result as JSON')
    .action(
      action<Llama2cOptions>(io, async (_context, options) => {
        const result = await convertLlama2c({
          checkpointPath: resolve(io.cwd, options.checkpoint),
          tokenizerPath: resolve(io.cwd, options.tokenizer),
          outDir: resolve(io.cwd, options.out),
        });
        if (options.json) {
          printJson(io, result);
          return;
        }
        io.stdout(`wrote ${result.tensorCount} tensors (${result.parameterCount} parameters) and the tokenizer to ${result.outDir}\n`);
      }),
    );

export const convertCommand: CommandFactory = (io) =>
  new Command('convert').description('convert models from other formats to Hub-style checkpoints').addCommand(llama2cCommand(io));
