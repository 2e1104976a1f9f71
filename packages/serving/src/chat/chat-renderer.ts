/** One message as a chat template sees it. */
export interface ChatTemplateMessage {
  readonly role: string;
  readonly content: string;
}

/**
 * Renders messages to the prompt text the served model was trained on (its tokenizer's chat
 * template). Supplied by whoever loads the model (rlgf serve passes `@rlgf/models`' renderer);
 * serving renders nothing itself.
 */
export type ChatRenderer = (messages: readonly ChatTemplateMessage[], options: { readonly addGenerationPrompt: boolean }) => string;
