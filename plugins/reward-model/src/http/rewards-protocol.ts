/**
 * The reward route: `POST /v1/rewards` with `{"inputs": ["prompt + summary", …]}`, answered with
 * `{"rewards": [r, …]}`, one finite number per input, in order. `rlgf serve --model <reward
 * model>` serves it; any server that speaks it can stand in.
 */
export const rewardsRoute = '/v1/rewards';

/** The route under a base URL that may already end with `/v1` or with the route itself. */
export function rewardsUrl(endpointUrl: string): string {
  const base = endpointUrl.replace(/\/+$/, '');
  if (base.endsWith(rewardsRoute)) return base;
  return base.endsWith('/v1') ? `${base}/rewards` : `${base}${rewardsRoute}`;
}

/** The rewards of an answer, checked against the number of inputs sent. */
export function rewardsOf(body: unknown, inputs: number): number[] {
  const rewards = typeof body === 'object' && body !== null ? (body as { rewards?: unknown }).rewards : undefined;
  if (!Array.isArray(rewards)) throw new Error(`the answer has no "rewards" array (is ${rewardsRoute} served there?)`);
  if (rewards.length !== inputs) throw new Error(`the answer has ${rewards.length} rewards for ${inputs} inputs`);
  const bad = rewards.findIndex((reward) => typeof reward !== 'number' || !Number.isFinite(reward));
  if (bad >= 0) throw new Error(`reward ${bad} is ${JSON.stringify(rewards[bad])}, not a finite number`);
  return rewards as number[];
}
