/** One message of an OpenAI chat request. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** The body of one `POST /v1/chat/completions` request, as sent (and as the cache keys it). */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly max_tokens: number;
  readonly temperature: number;
  readonly top_p?: number;
  readonly seed?: number;
  readonly min_tokens?: number;
  /** vLLM's (and rlgf serve's): continue the final assistant message instead of starting a new one. */
  readonly continue_final_message?: boolean;
  readonly add_generation_prompt?: boolean;
}

/** The user message of instruction mode: the text to continue, fenced off from the instruction. */
export const continuePrompt = 'Continue the following text. Reply with the continuation only.\n\nText:\n';

/**
 * The messages that ask a chat model to continue `text` (the prompt plus the learner's prefix).
 * - `prefill`: the text is the start of the assistant's reply, which the server continues
 *   (vLLM's `continue_final_message`, no generation prompt): the model continues the text token
 *   by token, as a completions model would, with the system message as its instruction.
 * - otherwise: the text goes in the user message with an instruction to continue; chat models
 *   then tend to restate it or open with boilerplate, which {@link cleanContinuation} removes.
 */
export function continuationMessages(instruction: string, text: string, prefill: boolean): ChatMessage[] {
  if (prefill) {
    return [
      { role: 'system', content: instruction },
      { role: 'user', content: 'Continue the text.' },
      { role: 'assistant', content: text },
    ];
  }
  return [
    { role: 'system', content: instruction },
    { role: 'user', content: `${continuePrompt}${text}` },
  ];
}
