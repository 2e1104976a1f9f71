import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import { chatTemplateOf, renderChatTemplate, type TokenizerFiles } from '@rlgf/models';
import type { ChatRenderer } from './chat-renderer';

/** Where the template a server renders chats with comes from (said in its start line). */
export type ChatTemplateSource = 'tokenizer_config.json' | { readonly file: string };

export interface ServedChatTemplate {
  readonly render: ChatRenderer;
  readonly source: ChatTemplateSource;
}

/** The messages a template is tried on when the server starts: one any chat template must take. */
const probe = { role: 'user', content: 'Hello.' } as const;

function sourceOf(template: { readonly file: string } | undefined): ChatTemplateSource {
  return template === undefined ? 'tokenizer_config.json' : { file: template.file };
}

/** Why a template cannot serve chats, as the error for its source. */
function unusable(template: { readonly file: string } | undefined, reason: string): Error {
  if (template === undefined) {
    return new ModelFormatError({ file: 'tokenizer_config.json', message: `chat_template ${reason}`, hint: 'fix chat_template, or serve the model with --chat-template <file>' });
  }
  return new InvalidArgumentError({
    argument: '--chat-template',
    value: template.file,
    expected: `a file holding a Jinja chat template (${reason})`,
    hint: 'give the template itself, e.g. the chat_template string of an instruction-tuned model\'s tokenizer_config.json, saved as text',
  });
}

/**
 * The served model's chat renderer: `tokenizer_config.json`'s `chat_template`, or `template`
 * (vLLM's `--chat-template`, which takes precedence), rendered by `@rlgf/models`'
 * renderChatTemplate with the special tokens of `tokenizer_config.json` and
 * `special_tokens_map.json`, as transformers' `apply_chat_template` does. `undefined` when there is
 * no template (the chat route then answers 422). The template is tried once on a user message, so
 * that one that does not parse, or writes no message, stops the server at start rather than
 * failing every chat request.
 */
export function servedChatTemplate(files: TokenizerFiles | undefined, template?: { readonly text: string; readonly file: string }): ServedChatTemplate | undefined {
  // special_tokens_map.json fills in tokens tokenizer_config.json leaves out, as transformers' tokenizer attributes do.
  const base = { ...files?.specialTokensMap, ...files?.tokenizerConfig };
  const config = template === undefined ? base : { ...base, chat_template: template.text };
  if (chatTemplateOf(config) === undefined) return undefined;
  if (template !== undefined && template.text.trim() === '') throw unusable(template, 'the file is empty');
  const render: ChatRenderer = (messages, { addGenerationPrompt }) => renderChatTemplate(config, messages, { addGenerationPrompt });
  const served = { render, source: sourceOf(template) };
  let probed: string;
  try {
    probed = render([probe], { addGenerationPrompt: true });
  } catch (error) {
    // A template that refuses a lone user message (its raise_exception) parses: it is served.
    if (InvalidArgumentError.isInstance(error)) return served;
    if (ModelFormatError.isInstance(error)) throw unusable(template, (error as Error).message.replace(/^tokenizer_config\.json: chat_template /, '').replace(/\s+/g, ' '));
    throw error;
  }
  if (!probed.includes(probe.content)) throw unusable(template, `it does not write the messages: a user message "${probe.content}" rendered as ${JSON.stringify(probed.slice(0, 60))}`);
  return served;
}
