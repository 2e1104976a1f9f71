import { Template } from '@huggingface/jinja';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import { specialTokenContent } from '../tokenizers/tokenizer-files';

/** One chat turn as transformers' `apply_chat_template` takes it. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | (string & {});
  readonly content: string;
}

export interface RenderChatOptions {
  /** Append the header that opens the assistant's turn (transformers' `add_generation_prompt`). */
  readonly addGenerationPrompt?: boolean;
  /** A named template of a config that ships several (`chat_template` as a list); default `default`. */
  readonly templateName?: string;
}

/** The special tokens transformers passes to every template, under the names it uses. */
const specialTokenFields = ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token'] as const;

/** `chat_template` of a tokenizer config: a string, or a list of `{ name, template }` (transformers picks `default`). */
export function chatTemplateOf(tokenizerConfig: Readonly<Record<string, unknown>>, name = 'default'): string | undefined {
  const template = tokenizerConfig['chat_template'];
  if (typeof template === 'string') return template;
  if (!Array.isArray(template)) return undefined;
  const named = template.find((entry: unknown) => typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === name) as { template?: unknown } | undefined;
  return typeof named?.template === 'string' ? named.template : undefined;
}

/**
 * Renders `messages` through `tokenizer_config.json`'s `chat_template` as transformers'
 * `apply_chat_template(tokenize=False)` does: with @huggingface/jinja (the interpreter
 * transformers.js uses, with jinja2's `trim_blocks` and `lstrip_blocks` as transformers sets them),
 * the special tokens (`bos_token`, `eos_token`, …), `add_generation_prompt`, and the library's
 * `raise_exception` (turned into a one-line error) and `strftime_now` (the real clock, as in
 * transformers). Encode
 * the result without adding special tokens: the template writes them.
 */
export function renderChatTemplate(tokenizerConfig: Readonly<Record<string, unknown>>, messages: readonly ChatMessage[], options: RenderChatOptions = {}): string {
  const source = chatTemplateOf(tokenizerConfig, options.templateName);
  if (source === undefined) {
    throw new ModelFormatError({
      file: 'tokenizer_config.json',
      message: 'has no chat_template',
      hint: 'chat prompts need an instruction-tuned model whose tokenizer ships a chat template; give a plain prompt instead',
    });
  }
  const variables: Record<string, unknown> = {
    messages: messages.map((message) => ({ ...message })),
    add_generation_prompt: options.addGenerationPrompt ?? false,
  };
  for (const field of specialTokenFields) {
    const text = specialTokenContent(tokenizerConfig[field]);
    if (text !== undefined) variables[field] = text;
  }
  let template: Template;
  try {
    template = new Template(source);
  } catch (error) {
    throw new ModelFormatError({ file: 'tokenizer_config.json', message: `chat_template does not parse: ${(error as Error).message}`, hint: 'fix or remove chat_template' });
  }
  try {
    return template.render(variables);
  } catch (error) {
    // The library's raise_exception throws a plain Error with the template's message.
    throw new InvalidArgumentError({
      argument: 'messages',
      value: messages.map((message) => message.role).join(','),
      expected: `messages the chat template accepts (it says: ${(error as Error).message})`,
    });
  }
}
