import { EndpointUnavailableError, InvalidArgumentError, type ComponentFactoryV1, type MetricItemV1, type MetricV1, type WarningV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { callWithRetries, createCallStats, createConcurrencyLimiter, createDeadline, redactSecrets, systemClock, type CallOutcome, type Clock } from '@rlgf/resilience';
import type { z } from 'zod';
import { splitTldrPrompt } from '../tldr-prompt';
import { judgeSchema, resolveJudgeOptions, type JudgeOptions } from './judge-options';
import { judgePrompt, parseJudgment } from './judge-prompt';
import { requestJudgment } from './judge-request';

export interface WinRateMetricSettings {
  /** Where the default token and `{ env }` references are read. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /** Backoff jitter in [0, 1). Default: seeded from the run seed. */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

/** The post shown to the judge: header and post, without the `TL;DR:` line. */
function postOf(item: MetricItemV1, index: number, which: JudgeOptions['post']): string {
  const source = which === 'full' && typeof item.meta?.sourcePrompt === 'string' ? item.meta.sourcePrompt : item.prompt;
  if (source === undefined) {
    throw new InvalidArgumentError({ argument: `items[${index}].prompt`, expected: 'the TL;DR prompt: the judge compares summaries of a post', hint: 'evaluate tldr task samples, which carry their prompts' });
  }
  const parts = splitTldrPrompt(source);
  return `${parts.header}${parts.body}`;
}

/** 1 when the judge preferred the policy's summary, 0 when it preferred the reference, ½ when it named neither. */
function verdict(answer: string, policyFirst: boolean): number {
  const preferred = parseJudgment(answer);
  if (preferred === undefined) return 0.5;
  return (preferred === 'A') === policyFirst ? 1 : 0;
}

function winRateMetric(options: JudgeOptions, seed: number, settings: Required<Pick<WinRateMetricSettings, 'clock' | 'random'>> & WinRateMetricSettings): MetricV1 {
  const limiter = createConcurrencyLimiter(options.concurrency);
  const stats = createCallStats();
  const policy = { retries: options.retries, timeoutMs: options.timeoutMs, baseDelayMs: options.backoffBaseMs, maxDelayMs: options.backoffMaxMs, maxRetryAfterMs: options.retryAfterMaxMs };
  const redact = (text: string) => redactSecrets(text, [options.token]);
  return {
    specificationVersion: 'v1',
    id: 'tldr-win-rate',
    reference: `win rate against the reference summary judged by ${options.model} with the DPO paper's GPT-4 TL;DR prompt (Rafailov et al. 2023, C.2), positions by a seeded coin`,
    higherIsBetter: true,
    async doCompute({ items, perItem, abortSignal }) {
      if (items.length === 0) return { corpus: {}, warnings: [] };
      const deadline = createDeadline(options.deadlineMs, settings.clock);
      try {
        const coins = items.map((_, i) => Rng.fromSeed(seed, 'tldr-win-rate', i).bernoulli(0.5));
        const prompts = items.map((item, i) => {
          const reference = item.references[0];
          if (reference === undefined) throw new InvalidArgumentError({ argument: `items[${i}].references`, expected: 'the reference summary the policy is compared with' });
          const post = postOf(item, i, options.post);
          return coins[i] ? judgePrompt(post, item.prediction, reference) : judgePrompt(post, reference, item.prediction);
        });
        const outcomes: CallOutcome<string>[] = await Promise.all(
          prompts.map((prompt) =>
            callWithRetries(({ signal, fetch }) => requestJudgment(options, prompt, { fetch, signal }), {
              policy,
              clock: settings.clock,
              random: settings.random,
              signal: abortSignal,
              deadline,
              limiter,
              stats,
              fetch: settings.fetch,
            }),
          ),
        );
        const failed = outcomes.flatMap((outcome, i) => (outcome.ok ? [] : [{ i, outcome }]));
        if (failed.length > 0) {
          const { i, outcome } = failed[0];
          const reason = outcome.ok ? '' : `${outcome.failure.message} (after ${outcome.attempts} attempts)`;
          throw new EndpointUnavailableError({
            message: redact(`the win-rate judge at ${options.url} failed on ${failed.length} of ${items.length} items; item ${i}: ${reason}`),
            hint: 'check endpointUrl, api ("chat" or "completions"), model and token, or raise retries, timeoutMs or deadlineMs',
          });
        }
        const answers = outcomes.map((outcome) => (outcome.ok ? outcome.value : ''));
        const scores = answers.map((answer, i) => verdict(answer, coins[i]));
        const undecided = scores.filter((score) => score === 0.5).length;
        const warnings: WarningV1[] = [];
        if (undecided > 0) {
          const example = answers[scores.indexOf(0.5)].replace(/\s+/g, ' ').slice(0, 120);
          warnings.push({ type: 'undecided-judgments', message: `the judge named neither summary on ${undecided} of ${items.length} items (counted as ½), e.g. ${JSON.stringify(example)}` });
        }
        const corpus = { win_rate: scores.reduce((a, b) => a + b, 0) / scores.length, judge_undecided: undecided / scores.length };
        return { corpus, ...(perItem ? { perItem: { win_rate: scores } } : {}), warnings };
      } finally {
        deadline.dispose();
      }
    },
  };
}

/** The `tldr-win-rate` metric factory, with its collaborators injectable for tests. */
export function createWinRateMetricFactory(settings: WinRateMetricSettings = {}): ComponentFactoryV1<'metric', z.output<typeof judgeSchema>> {
  return {
    specificationVersion: 'v1',
    kind: 'metric',
    id: 'tldr-win-rate',
    description: 'win rate of the summaries against the reference, judged by an LLM on an OpenAI-compatible endpoint (DPO paper prompt)',
    optionsSchema: judgeSchema,
    async create(parsed, context) {
      const options = resolveJudgeOptions(parsed, settings.env ?? process.env);
      const tokenSource = typeof options.tokenSource === 'object' ? `$${options.tokenSource.env}` : options.tokenSource;
      context.logger.info(`tldr-win-rate: judge ${options.model} at ${options.url}, token ${tokenSource}`);
      const rng = Rng.fromSeed(context.seed, 'tldr-win-rate', 'backoff');
      return winRateMetric(options, options.seed ?? context.seed, { ...settings, clock: settings.clock ?? systemClock, random: settings.random ?? (() => rng.nextFloat()) });
    },
  };
}

export const winRateMetricFactory = createWinRateMetricFactory();
