import type { TokenizerV1 } from '@rlgf/contracts';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import { renderChatTemplate, type ChatMessage, type RenderChatOptions } from './chat-template';

/**
 * Token ids of `messages` as a chat model expects its prompt (transformers'
 * `apply_chat_template(tokenize=True)`): rendered through the checkpoint's chat template (the
 * generation prompt on by default) and encoded without adding special tokens, since the template
 * writes them (a second BOS would change what the model sees).
 */
export function chatPromptIds(
  model: { readonly tokenizer: TokenizerV1; readonly tokenizerFiles?: TokenizerFiles },
  messages: readonly ChatMessage[],
  options: RenderChatOptions = { addGenerationPrompt: true },
): number[] {
  const files = model.tokenizerFiles;
  // special_tokens_map.json fills in tokens tokenizer_config.json leaves out, as transformers' tokenizer attributes do.
  const config = { ...files?.specialTokensMap, ...files?.tokenizerConfig };
  return model.tokenizer.encode(renderChatTemplate(config, messages, options), { addSpecialTokens: false });
}
