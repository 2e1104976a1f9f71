import { startCompletionServer, type CompletionReply, type CompletionRequest, type CompletionServer } from '@rlgf/testing';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliWorkspace, syntheticModel } from '../testing/cli-workspace';
import { runCli } from '../testing/run-cli';

// The fault-injection suite through the trainer: D2LOLS on the synthetic task with the
// hf-endpoint guide against a loopback server that answers slowly, fails, rate-limits, cuts
// bodies and connections, or speaks HTML. Runs must finish every iteration and count exactly the
// samples the guide could not serve; in `fail` mode a guide that goes away stops the run in one
// line, keeping the last checkpoint, from which the run resumes.
let workspace: CliWorkspace;
let cwd: string;
let server: CompletionServer;

beforeAll(async () => {
  workspace = await CliWorkspace.create('faults');
  cwd = workspace.cwd;
});
afterEach(() => server?.close());

function faultRecipe(name: string, guideOptions: string): Promise<string> {
  return workspace.recipe(
    name,
    `task: { id: synthetic }
policy: { model: { source: ${syntheticModel}, init: random } }
guide: { id: hf-endpoint, options: { endpointUrl: '${server.url}', token: null, topP: 1, concurrency: 4, backoffBaseMs: 1, backoffMaxMs: 5, retryAfterMaxMs: 20, ${guideOptions} } }
algorithm: { name: d2lols, d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1 }
rollout: { iterations: 4, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
checkpoint: { every: 2, keep: 4 }
logging: { progress: lines }
`,
  );
}

/**
 * Runs the CLI in-process and notes, at each progress line `iteration N/M`, how many requests the
 * server had received: requests between two notes belong to one iteration.
 */
async function trainWatching(args: string[], onProgress: (completed: number) => void = () => undefined) {
  let stderr = '';
  const result = await runCli(args, {
    cwd,
    env: workspace.env(),
    stderr: (text) => {
      stderr += text;
      const progress = /^iteration (\d+)\/\d+/m.exec(text);
      if (progress) onProgress(Number(progress[1]));
    },
  });
  return { ...result, stderr };
}

const metricRows = (runDir: string) => workspace.metricRows(runDir);

/** What the scripted server does to a sample, chosen by a hash of its prompt and seed. */
const fates = ['ok', 'slow', 'http-500', 'http-429', 'truncated-json', 'reset', 'wrong-content-type', 'always-503'] as const;
type Fate = (typeof fates)[number];
/** Fates the guide cannot recover from: wrong protocol (not retried), or down for every retry. */
const lost = new Set<Fate>(['wrong-content-type', 'always-503']);
const retries = 2;

function fateOf(request: CompletionRequest): Fate {
  let hash = 0x811c9dc5;
  for (const char of `${request.prompt}|${String(request.body?.seed)}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return fates[hash % fates.length];
}

function reply(request: CompletionRequest): CompletionReply {
  const fate = fateOf(request);
  const first = request.attemptOfSample === 0;
  switch (fate) {
    case 'ok':
      return { kind: 'complete' };
    case 'slow':
      return first ? { kind: 'slow', delayMs: 60_000 } : { kind: 'complete' };
    case 'http-500':
      return first ? { kind: 'status', status: 500 } : { kind: 'complete' };
    case 'http-429':
      return first ? { kind: 'status', status: 429, retryAfter: '1' } : { kind: 'complete' };
    case 'truncated-json':
      return first ? { kind: 'truncated-json' } : { kind: 'complete' };
    case 'reset':
      return first ? { kind: 'reset' } : { kind: 'complete' };
    case 'wrong-content-type':
      return { kind: 'wrong-content-type' };
    case 'always-503':
      return { kind: 'status', status: 503 };
  }
}

const sampleKey = (request: CompletionRequest) => `${request.prompt}|${String(request.body?.seed)}`;

describe('the hf-endpoint guide through the trainer, against a faulty server', () => {
  it('finishes every iteration and counts exactly the samples the guide could not serve', async () => {
    server = await startCompletionServer({ reply });
    // marks[n]: requests received when n iterations were done.
    const marks: number[] = [];
    const result = await trainWatching(
      ['train', '--config', await faultRecipe('faults', `retries: ${retries}, timeoutMs: 1000, onUnavailable: fallback`)],
      (completed) => (marks[completed] = server.requests.length),
    );
    expect(result.stderr).not.toContain('rlgf: error');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ iterations: 4, stopReason: 'completed' });
    const rows = await metricRows(join(cwd, 'runs/faults'));
    expect(rows.map((row) => row.iteration)).toEqual([1, 2, 3, 4]);

    // Ground truth from the server: per iteration, the samples whose fate the guide cannot survive.
    const expected = rows.map((_, done) => {
      const samples = new Map(server.requests.slice(marks[done], marks[done + 1]).map((request) => [sampleKey(request), fateOf(request)]));
      return [...samples.values()].filter((fate) => lost.has(fate)).length;
    });
    expect(rows.map((row) => row['rollout/guide_failures'])).toEqual(expected);
    expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const [done, failures] of expected.entries()) {
      if (failures > 0) expect(result.stderr).toContain(`iteration ${done + 1}: the guide failed on ${failures} sample(s), the learner took over`);
    }

    // Every fault was met, and retried exactly as its kind calls for.
    const attempts = new Map<string, { fate: Fate; count: number }>();
    for (const request of server.requests) {
      const entry = attempts.get(sampleKey(request)) ?? { fate: fateOf(request), count: 0 };
      attempts.set(sampleKey(request), { ...entry, count: entry.count + 1 });
    }
    const attemptsBy = (fate: Fate) => [...new Set([...attempts.values()].filter((entry) => entry.fate === fate).map((entry) => entry.count))];
    expect(new Set([...attempts.values()].map((entry) => entry.fate))).toEqual(new Set(fates));
    expect(attemptsBy('ok')).toEqual([1]);
    expect(attemptsBy('wrong-content-type')).toEqual([1]);
    expect(attemptsBy('always-503')).toEqual([1 + retries]);
    for (const fate of ['slow', 'http-500', 'http-429', 'truncated-json', 'reset'] as const) expect(attemptsBy(fate)).toEqual([2]);
  }, 180_000);

  it('in fail mode stops in one line when the guide goes away, keeps the last checkpoint, and resumes from it', async () => {
    server = await startCompletionServer();
    const path = await faultRecipe('gone', 'retries: 1, timeoutMs: 2000, onUnavailable: fail');
    const url = server.url;
    const result = await trainWatching(['train', '--config', path], (completed) => {
      // Two iterations done (their checkpoint is written next): the guide's machine goes away.
      if (completed === 2) void server.close();
    });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('rlgf: error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^rlgf: error: guide endpoint ${url} is unavailable: sample \\d+ of \\d+ failed: network error: .* \\(after 2 attempts\\) \\(check that the server is up`),
    );
    const runDir = join(cwd, 'runs/gone');
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['iteration-000002']);
    expect(JSON.parse(await readFile(join(runDir, 'checkpoints/iteration-000002/state.json'), 'utf8'))).toMatchObject({ iteration: 2 });
    expect((await metricRows(runDir)).map((row) => row.iteration)).toEqual([1, 2]);

    server = await startCompletionServer();
    const resumed = await trainWatching(['train', '--resume', runDir, '--set', `guide.options.endpointUrl=${server.url}`]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .*runs\/gone after iteration 2/);
    expect((await metricRows(runDir)).map((row) => row.iteration)).toEqual([1, 2, 3, 4]);
  }, 180_000);
});
