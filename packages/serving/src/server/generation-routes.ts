import type { TokenizerV1 } from '@rlgf/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatChunks, chatResponse, parseChatRequest, renderChatPrompt } from '../api/chat-route';
import { choiceSeed, completionsChunks, completionsResponse, parseCompletionsRequest } from '../api/completions-route';
import type { ChatRenderer } from '../chat/chat-renderer';
import { parseTgiGenerateRequest, tgiGenerateResponse } from '../api/generate-route';
import { promptRow } from '../api/prompt-row';
import type { ServingLimits } from '../api/serving-limits';
import type { GenerationQueue } from '../batching/generation-queue';
import type { GeneratedRow, GenerationRow } from '../generation/generation-row';
import { HttpError, validationError } from '../http/http-error';
import { readJsonBody } from '../http/read-json-body';
import { sendJson } from '../http/respond';
import { sendEvents } from '../http/server-sent-events';

/** What the generation routes share: the model's tokenizer, the limits and the batching queue. */
export interface GenerationContext {
  readonly modelId: string;
  readonly tokenizer: TokenizerV1;
  readonly limits: ServingLimits;
  readonly maxBodyBytes: number;
  readonly maxConcurrency: number;
  readonly queue: GenerationQueue<GenerationRow, GeneratedRow>;
  readonly randomSeed: () => number;
  readonly now: () => number;
  /** Adds a note to the request's log line (prompts, tokens). */
  readonly note: (res: ServerResponse, text: string) => void;
  /** The served model's chat template; none: the chat route answers 422. */
  readonly renderChat?: ChatRenderer;
}

/** An abort signal that fires when the client goes away before its answer is written. */
function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Admits the request (503 + `Retry-After` when `--max-concurrency` requests are already admitted,
 * or when the server is closing), then tokenizes its prompts one per turn of the event loop, so a
 * request of long prompts lets `/health` and other requests in between, and queues the rows.
 * Admission comes first: a refused request costs no tokenizing, and the limit counts requests
 * while they tokenize, wait and generate.
 */
async function generate(
  context: GenerationContext,
  prompts: readonly string[],
  toRow: (prompt: string) => GenerationRow,
  res: ServerResponse,
  n = 1,
): Promise<{ readonly rows: GenerationRow[]; readonly results: GeneratedRow[] }> {
  const admission = context.queue.admit();
  if (admission.status === 'full') {
    throw new HttpError(
      503,
      `the server is busy: ${context.maxConcurrency} requests are in progress (rlgf serve --max-concurrency); retry later`,
      'overloaded',
      { 'Retry-After': '1' },
    );
  }
  if (admission.status === 'closed') throw new HttpError(503, 'the server is shutting down', 'unavailable', { 'Retry-After': '5' });
  const signal = clientGone(res);
  const rows: GenerationRow[] = [];
  try {
    for (const prompt of prompts) {
      await nextTurn();
      const row = toRow(prompt);
      // `n` samples of a prompt: the same tokens, each its own seeded stream.
      for (let choice = 0; choice < n; choice++) rows.push(choice === 0 ? row : { ...row, seed: choiceSeed(row.seed, choice) });
    }
  } catch (error) {
    admission.release();
    throw error;
  }
  const results = await admission.submit(rows, signal);
  const promptTokens = rows.reduce((sum, row) => sum + row.promptIds.length, 0);
  const newTokens = results.reduce((sum, row) => sum + row.ids.length, 0);
  context.note(res, `${rows.length} prompt${rows.length === 1 ? '' : 's'}, ${promptTokens} + ${newTokens} tokens`);
  return { rows, results };
}

/** `POST /v1/completions` (OpenAI, vLLM, TGI; what `@huggingface/inference` calls). */
export async function handleCompletions(context: GenerationContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = parseCompletionsRequest(await readJsonBody(req, context.maxBodyBytes), context.limits, context.randomSeed);
  const createdMs = context.now();
  const toRow = (prompt: string) => promptRow(context.tokenizer, prompt, request.settings, context.limits, 'max_tokens');
  const { rows, results } = await generate(context, request.prompts, toRow, res, request.n);
  // Prompt tokens count once per prompt, whatever `n` (as OpenAI counts them).
  const promptTokens = rows.filter((_, i) => i % request.n === 0).reduce((sum, row) => sum + row.promptIds.length, 0);
  const answer = { id: `cmpl-${createdMs.toString(36)}-${request.settings.seed}`, model: context.modelId, createdMs, promptTokens, rows: results };
  if (request.stream) sendEvents(res, completionsChunks(answer, request.includeUsage));
  else sendJson(res, 200, completionsResponse(answer));
}

/**
 * `POST /v1/chat/completions` (OpenAI, vLLM): the messages rendered with the served model's chat
 * template, then generated as a completion of that text. A model without a template gets 422.
 */
export async function handleChat(context: GenerationContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = parseChatRequest(await readJsonBody(req, context.maxBodyBytes), context.limits, context.randomSeed);
  const render = context.renderChat;
  if (!render) {
    throw validationError(
      `${context.modelId} has no chat template (its tokenizer_config.json sets no chat_template), so /v1/chat/completions cannot lay out messages; use /v1/completions, or start rlgf serve with --chat-template <file>`,
    );
  }
  let prompt: string;
  try {
    prompt = renderChatPrompt(request, render);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw validationError(`the chat template could not render these messages: ${error instanceof Error ? error.message : String(error)}`);
  }
  const createdMs = context.now();
  const toRow = (text: string) => promptRow(context.tokenizer, text, request.settings, context.limits, 'max_tokens', { addSpecialTokens: false });
  const { rows, results } = await generate(context, [prompt], toRow, res, request.n);
  const answer = { id: `chatcmpl-${createdMs.toString(36)}-${request.settings.seed}`, model: context.modelId, createdMs, promptTokens: rows[0].promptIds.length, rows: results };
  if (request.stream) sendEvents(res, chatChunks(answer, request.includeUsage));
  else sendJson(res, 200, chatResponse(answer));
}

/** `POST /generate` (TGI's own route). */
export async function handleTgiGenerate(context: GenerationContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = parseTgiGenerateRequest(await readJsonBody(req, context.maxBodyBytes), context.limits, context.randomSeed);
  const toRow = (prompt: string) => promptRow(context.tokenizer, prompt, request.settings, context.limits, 'max_new_tokens');
  const { results } = await generate(context, [request.prompt], toRow, res);
  sendJson(res, 200, tgiGenerateResponse(request, results[0]));
}
