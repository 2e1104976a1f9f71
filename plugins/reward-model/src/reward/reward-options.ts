import { InvalidArgumentError, ModelFormatError, RlgfError, type ComponentContextV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { systemClock, type Clock } from '@rlgf/resilience';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RemoteRewardModel } from '../http/remote-reward-model';
import { loadRewardModel } from '../model/load-reward-model';
import { localScorer, type RewardScorer } from './reward-scorer';

/** Collaborators of remote scoring, injectable for tests. */
export interface RewardModelFactorySettings {
  /** Where `{ env }` token references are read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /** Backoff jitter in [0, 1). Default: seeded from the run seed. */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

export const rewardModelOptionHelp: Readonly<Record<string, string>> = {
  model: 'reward-model checkpoint: a directory written by `rlgf train-reward --task tldr`, or a GPT-2/Llama *ForSequenceClassification folder or Hub id',
  endpointUrl: 'score on a server instead (POST <endpointUrl>/v1/rewards, e.g. rlgf serve --model <reward model>); excludes model',
  batchSize: 'texts per forward pass, or per request to the endpoint (default 16)',
  maxTokens: 'longest prompt + generation in tokens for a local model; longer texts keep their end (default: the model\'s positions)',
  token: 'endpoint bearer token: a string, { env: NAME }, or null (default none)',
  concurrency: 'endpoint requests in flight at most (default 2)',
  retries: 'endpoint retries of network errors, time-outs, 429 and 5xx (default 3)',
  timeoutMs: 'time limit of one endpoint request (default 60000)',
  deadlineMs: 'time limit of one scoring call, all requests together (default 600000)',
};

type RawOptions = Readonly<Record<string, unknown>>;

function integer(options: RawOptions, field: (name: string) => string, name: string, fallback: number, min: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError({ argument: field(name), value, expected: `an integer >= ${min}` });
  return value;
}

function tokenOf(value: unknown, env: Readonly<Record<string, string | undefined>>, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  const name = typeof value === 'object' && Object.keys(value).length === 1 ? (value as { env?: unknown }).env : undefined;
  // The value may be the secret itself: never quote it.
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidArgumentError({ argument: field, expected: 'a token string, { env: "VARIABLE" }, or null' });
  const token = env[name];
  if (!token) throw new InvalidArgumentError({ argument: field, expected: `environment variable ${name} to hold the token, but it is not set` });
  return token;
}

/** A directory relative to the run's working directory when it exists there, else the text as given (a Hub id). */
function checkpointSource(model: string, workingDirectory: string): string {
  const local = resolve(workingDirectory, model);
  return existsSync(local) ? local : model;
}

/**
 * The scorer the `reward-model` reward or metric asks for: a checkpoint loaded here, or a server
 * reached over HTTP. Validates the options, naming the bad field (`kind.options.name`).
 */
export async function createRewardScorer(options: RawOptions, context: ComponentContextV1, kind: 'reward' | 'metric', settings: RewardModelFactorySettings): Promise<RewardScorer> {
  const field = (name: string) => `${kind}.options.${name}`;
  const unknown = Object.keys(options).filter((name) => !(name in rewardModelOptionHelp));
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: field(unknown[0]), expected: `one of ${Object.keys(rewardModelOptionHelp).join(', ')}` });
  const { model, endpointUrl } = options;
  if ((model === undefined) === (endpointUrl === undefined)) {
    throw new InvalidArgumentError({ argument: field('model'), value: model, expected: 'either model (a reward-model checkpoint) or endpointUrl (a reward server), not both' });
  }
  const batchSize = integer(options, field, 'batchSize', 16, 1);
  if (endpointUrl !== undefined) {
    if (typeof endpointUrl !== 'string' || !URL.canParse(endpointUrl)) throw new InvalidArgumentError({ argument: field('endpointUrl'), value: endpointUrl, expected: 'an http(s) URL' });
    const rng = Rng.fromSeed(context.seed, 'reward-model', 'backoff');
    return new RemoteRewardModel({
      endpointUrl,
      token: tokenOf(options.token, settings.env ?? process.env, field('token')),
      batchSize,
      concurrency: integer(options, field, 'concurrency', 2, 1),
      policy: { retries: integer(options, field, 'retries', 3, 0), timeoutMs: integer(options, field, 'timeoutMs', 60_000, 1), baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 },
      deadlineMs: integer(options, field, 'deadlineMs', 600_000, 1),
      clock: settings.clock ?? systemClock,
      random: settings.random ?? (() => rng.nextFloat()),
      fetch: settings.fetch,
    });
  }
  if (typeof model !== 'string' || model.trim() === '') throw new InvalidArgumentError({ argument: field('model'), value: model, expected: 'a reward-model checkpoint directory or Hub id' });
  const maxTokens = options.maxTokens === undefined ? undefined : integer(options, field, 'maxTokens', 0, 2);
  const source = checkpointSource(model, context.workingDirectory);
  try {
    return localScorer(await loadRewardModel(source, { hub: context.hub, maxTokens }), batchSize, model);
  } catch (error) {
    if (!RlgfError.isInstance(error)) throw error;
    throw new ModelFormatError({
      file: model,
      message: `cannot load the reward model: ${error.message}`,
      hint: `train one with \`rlgf train-reward --task tldr\` (written to runs/rewards/tldr-reward-model), or name a *ForSequenceClassification checkpoint${error.hint ? `; ${error.hint}` : ''}`,
      cause: error,
    });
  }
}
