import { z } from 'zod';
import { positiveInt } from './common';

/** A LoRA adapter on a frozen base (PEFT's LoraConfig under this project's names). */
export const lora = z
  .strictObject({
    r: positiveInt.default(8).describe('Rank of the low-rank update (PEFT `r`).'),
    alpha: z.number().positive().default(16).describe('Scale numerator (PEFT `lora_alpha`): the update is scaled by alpha / r, or alpha / √r with `rslora`.'),
    dropout: z.number().min(0).lt(1).default(0).describe("Dropout on each adapted layer's input while training (PEFT `lora_dropout`)."),
    targetModules: z
      .union([z.array(z.string().min(1)).min(1), z.string().min(1)])
      .default('all-linear')
      .describe(
        'Linear modules to adapt, named as PEFT names them (`q_proj`, `v_proj` for Llama-like models, `c_attn` for GPT-2, `q`, `v` for T5, `query_key_value` for GPT-NeoX): a list of names, or one regular expression matched against the whole module path; `all-linear` (default) adapts every linear layer but the output head. A name that matches no layer is an error listing the names there are.',
      ),
    rslora: z.boolean().default(false).describe('Rank-stabilised scaling alpha / √r (PEFT `use_rslora`).'),
  })
  .describe('Train a LoRA adapter on the frozen model instead of all its weights; the base weights are held once and shared.');
