import { startCompletionServer, type CompletionRequest, type CompletionServer } from '@rlgf/testing';
import { join } from 'node:path';
import { CliWorkspace, syntheticModel } from '../testing/cli-workspace';

// The chat-endpoint guide through the trainer: D2LOLS on the synthetic task against a loopback
// OpenAI-compatible chat server (the fault server's chat route, seeded answers, usage counted in
// words). The server counts every request, so "no request twice" is checked where it matters.
let workspace: CliWorkspace;
let server: CompletionServer;

beforeAll(async () => {
  workspace = await CliWorkspace.create('chat-guide');
  server = await startCompletionServer();
});
afterAll(() => server?.close());

function chatRecipe(name: string, guideOptions = '', extra = ''): Promise<string> {
  return workspace.recipe(
    name,
    `task: { id: synthetic }
policy: { model: { source: ${syntheticModel}, init: random } }
guide: { id: chat-endpoint, options: { endpointUrl: '${server.url}', model: guide-model, concurrency: 4, ${guideOptions} } }
algorithm: { name: d2lols, d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1 }
rollout: { iterations: 4, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
checkpoint: { every: 2, keep: 4 }
logging: { progress: lines }
${extra}`,
  );
}

/** A request's identity: everything the cache keys on but the endpoint. */
const requestKey = (request: CompletionRequest) => JSON.stringify(request.body);
const since = (start: number) => server.requests.slice(start);
/** A run's rows without what the guide's answers cost (`guide/*`: the cache changes that, not the training). */
const withoutCost = (rows: readonly Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('guide/'))));
const total = (rows: readonly Record<string, unknown>[], key: string) => rows.reduce((sum, row) => sum + Number(row[key] ?? 0), 0);

describe('the chat-endpoint guide through the trainer', () => {
  it('trains D2LOLS; a repeated run gives the same metrics from the cache without a request; --no-guide-cache sends them again', async () => {
    const start = server.requests.length;
    const first = await workspace.run(['train', '--config', await chatRecipe('chat-a')]);
    expect(first.code).toBe(0);
    const rows = await workspace.metricRows(join(workspace.cwd, 'runs/chat-a'));
    expect(rows.map((row) => row.phase)).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'ppo++']);
    expect(rows.every((row) => row['rollout/guide_failures'] === 0)).toBe(true);
    const sent = since(start);
    const calls = rows.reduce((sum, row) => sum + Number(row['rollout/guide_calls']), 0);
    expect(sent.length).toBe(calls);
    expect(new Set(sent.map(requestKey)).size).toBe(sent.length);
    expect(sent.every((request) => request.route === 'chat' && request.body?.model === 'guide-model' && typeof request.body?.seed === 'number')).toBe(true);

    const repeated = server.requests.length;
    const second = await workspace.run(['train', '--config', await chatRecipe('chat-b')]);
    expect(second.code).toBe(0);
    const cachedRows = await workspace.metricRows(join(workspace.cwd, 'runs/chat-b'));
    expect(withoutCost(cachedRows)).toEqual(withoutCost(rows));
    expect(since(repeated)).toHaveLength(0);
    expect([total(cachedRows, 'guide/requests'), total(cachedRows, 'guide/cached_answers')]).toEqual([0, calls]);

    const uncached = server.requests.length;
    const third = await workspace.run(['train', '--config', await chatRecipe('chat-c'), '--no-guide-cache']);
    expect(third.code).toBe(0);
    expect(await workspace.metricRows(join(workspace.cwd, 'runs/chat-c'))).toEqual(rows);
    expect(total(rows, 'guide/requests')).toBe(calls);
    expect(since(uncached).map(requestKey).sort()).toEqual(sent.map(requestKey).sort());
  }, 240_000);

  it('resumes a SIGKILLed run: the answers of iterations it redoes come from the cache, and only requests in flight at the kill go out again', async () => {
    const start = server.requests.length;
    // Another seed: answers no earlier run has cached.
    const path = await chatRecipe('chat-killed', '', 'seed: 11');
    const killed = await workspace.signalWhenLogged(['train', '--config', path], 'iteration 3/4', 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const beforeResume = since(start).length;
    expect(beforeResume).toBeGreaterThan(0);
    const resumed = await workspace.run(['train', '--resume', join(workspace.cwd, 'runs/chat-killed')]);
    expect(resumed.code).toBe(0);
    const beforeKill = since(start).slice(0, beforeResume);
    const afterResume = since(start + beforeResume);
    expect(afterResume.length).toBeGreaterThan(0);
    // Iteration 3 ran before the kill and again after the resume (the checkpoint is after 2): every
    // one of its answers came from the cache.
    const rows = await workspace.metricRows(join(workspace.cwd, 'runs/chat-killed'));
    expect(rows.map((row) => row.iteration)).toEqual([1, 2, 3, 4]);
    expect(Number(rows[2]['rollout/guide_calls'])).toBeGreaterThan(0);
    expect(rows[2]['guide/cached_answers']).toBe(rows[2]['rollout/guide_calls']);
    // The kill lands while iteration 4 asks the guide: only requests still unanswered then, or
    // answered but not yet cached, may go out again — the last few before the kill (each of the 4
    // concurrency slots holds one in flight, and one more may wait for its cache write), never an
    // earlier one.
    const lastBeforeKill = new Set(beforeKill.slice(-8).map(requestKey));
    const sentAgain = afterResume.filter((request) => beforeKill.some((earlier) => requestKey(earlier) === requestKey(request)));
    expect(sentAgain.filter((request) => !lastBeforeKill.has(requestKey(request)))).toEqual([]);
    expect(new Set(afterResume.map(requestKey)).size).toBe(afterResume.length);
  }, 240_000);

  it('stops cleanly in one line when the token budget is spent, naming how to go on', async () => {
    // Each answer costs tens of words; 600 is spent within the first iterations.
    const result = await workspace.run(['train', '--config', await chatRecipe('chat-budget', 'maxTokens: 600, cache: false', 'seed: 12')]);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('rlgf: error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^rlgf: error: chat guide ${server.url} \\(model guide-model\\): the guide's token budget of 600 is spent \\(\\d+ tokens used; option maxTokens\\)`));
    expect(result.stderr).toMatch(/--set guide\.options\.maxTokens=/);
  }, 240_000);
});
