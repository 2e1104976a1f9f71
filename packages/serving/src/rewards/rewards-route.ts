import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, validationError } from '../http/http-error';
import { readJsonBody } from '../http/read-json-body';
import { sendJson } from '../http/respond';

/** A reward model as the route needs it: one finite score per text (prompt + summary). */
export interface RewardScoring {
  score(texts: readonly string[], signal: AbortSignal): Promise<number[]>;
}

export interface RewardsRouteContext {
  readonly scoring: RewardScoring;
  readonly maxBodyBytes: number;
  /** Texts one request may send. */
  readonly maxInputs: number;
  /** Adds a note to the request's log line. */
  readonly note: (res: ServerResponse, text: string) => void;
}

/** The texts of a `{"inputs": [...]}` body, or a 422 saying what is wrong with it. */
export function parseRewardsRequest(body: unknown, maxInputs: number): string[] {
  const inputs = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { inputs?: unknown }).inputs : undefined;
  if (!Array.isArray(inputs)) throw validationError('the body must be {"inputs": ["prompt + summary", ...]}');
  if (inputs.length > maxInputs) throw validationError(`${inputs.length} inputs in one request; at most ${maxInputs} (rlgf serve --max-batch)`);
  const bad = inputs.findIndex((input) => typeof input !== 'string');
  if (bad >= 0) throw validationError(`inputs[${bad}] is not a string`);
  return inputs as string[];
}

/** An abort signal that fires when the client goes away before its answer is written. */
function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}

/**
 * `POST /v1/rewards`: `{"inputs": ["prompt + summary", ...]}` → `{"rewards": [r, ...]}`, one
 * score per input in order (the route `@rlgf/reward-model` calls with `endpointUrl`).
 */
export async function handleRewards(context: RewardsRouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const inputs = parseRewardsRequest(await readJsonBody(req, context.maxBodyBytes), context.maxInputs);
  const rewards = inputs.length === 0 ? [] : await context.scoring.score(inputs, clientGone(res));
  if (rewards.length !== inputs.length || rewards.some((reward) => !Number.isFinite(reward))) {
    throw new HttpError(500, `the reward model gave ${rewards.length} scores for ${inputs.length} inputs, or a non-finite one`, 'generation');
  }
  context.note(res, `${inputs.length} input${inputs.length === 1 ? '' : 's'}`);
  sendJson(res, 200, { rewards });
}
