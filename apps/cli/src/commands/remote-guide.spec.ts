import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CliWorkspace, repositoryRoot as repo, syntheticModel } from '../testing/cli-workspace';

// A guide on another machine, end to end on the synthetic task: `rlgf serve` in a child process
// serves a tiny Llama trained here, and `rlgf train` reaches it through the hf-endpoint guide
// (@huggingface/inference over HTTP on loopback).
const serveToken = 'serve-secret-4711';
let workspace: CliWorkspace;
let cwd: string;
const env = () => workspace.env();
const run = (args: string[]) => workspace.run(args);
const recipe = (name: string, body: string) => workspace.recipe(name, body);
const metricRows = (runDir: string) => workspace.metricRows(runDir);

/** D2LOLS on the synthetic task from a random policy, with `guideOptions` for the hf-endpoint guide. */
function remoteRecipe(name: string, guideOptions: string, extra = ''): Promise<string> {
  return recipe(
    name,
    `task: { id: synthetic }
policy: { model: { source: ${syntheticModel}, init: random } }
guide: { id: hf-endpoint, options: { ${guideOptions} } }
algorithm: { name: d2lols, d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1 }
rollout: { iterations: 4, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 2 }
kl: { coef: 0.01 }
evaluation: { every: 0, limit: 16, final: { limit: 16 } }
checkpoint: { every: 2, keep: 2 }
logging: { progress: lines }
${extra}`,
  );
}

interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `rlgf serve` in a child process and reads the URL it prints on stdout. */
function startServe(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(repo, 'apps/cli/bin/rlgf.js'), 'serve', ...args], { cwd, env: { ...env(), RLGF_SERVE_TOKEN: serveToken } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) ready({ url: stdout.split('\n')[0], child, stderr: () => stderr, exited });
    });
    void exited.then((code) => fail(new Error(`rlgf serve exited with ${code} before printing its URL:\n${stderr}`)));
  });
}

beforeAll(async () => {
  workspace = await CliWorkspace.create('remote');
  cwd = workspace.cwd;
  await workspace.sftSynthetic('strong', { share: 0.9, evaluationLimit: 16 });
}, 120_000);

describe('a guide served by rlgf serve in another process', () => {
  it('trains D2LOLS through the hf-endpoint guide, reproducibly, and the server stops cleanly on SIGTERM', async () => {
    const serve = await startServe(['--model', './runs/strong/model', '--port', '0']);
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Plugins read their secrets from the process environment, as in a real run.
      process.env.RLGF_TEST_GUIDE_TOKEN = serveToken;
      const guideOptions = `endpointUrl: '${serve.url}', token: { env: RLGF_TEST_GUIDE_TOKEN }, topP: 1`;
      const first = await run(['train', '--config', await remoteRecipe('remote-a', guideOptions)]);
      expect(first.stderr).not.toMatch(/warn|error/i);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ algorithm: 'd2lols', iterations: 4, stopReason: 'completed' });
      const rows = await metricRows(join(cwd, 'runs/remote-a'));
      expect(rows.map((row) => [row.iteration, row.phase])).toEqual([
        [1, 'aggrevated'],
        [2, 'aggrevated'],
        [3, 'critic-warmup'],
        [4, 'ppo++'],
      ]);
      expect(rows.every((row) => row['rollout/guide_failures'] === 0 && (row['rollout/guide_token_share'] as number) > 0)).toBe(true);
      // The server honours each request's seed, whatever it is batched with: the same run twice gives the same numbers.
      const second = await run(['train', '--config', await remoteRecipe('remote-b', guideOptions)]);
      expect(second.code).toBe(0);
      expect(await metricRows(join(cwd, 'runs/remote-b'))).toEqual(rows);
      const noToken = await remoteRecipe('remote-c', guideOptions.replace('{ env: RLGF_TEST_GUIDE_TOKEN }', 'null'));
      const refused = await run(['train', '--config', noToken, '--set', 'guide.options.onUnavailable=fail']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/rlgf: error: guide endpoint .* is unavailable: sample \d+ of \d+ failed: HTTP 401 .*missing or wrong bearer token.* \(after 1 attempt\) \(check the token/);
    } finally {
      delete process.env.RLGF_TEST_GUIDE_TOKEN;
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toBe(0);
    const log = serve.stderr();
    const [, generations, batches] = /stopped after (\d+) generations in (\d+) batches/.exec(log) ?? [];
    expect(Number(generations)).toBeGreaterThan(0);
    expect(log.match(/POST \/v1\/completions 200/g)).toHaveLength(Number(generations));
    expect(Number(batches)).toBeLessThan(Number(generations));
    expect(log).toContain('POST /v1/completions 401');
    expect(log).not.toContain(serveToken);
  }, 180_000);

  it('refuses a busy port and a missing model in one line each', async () => {
    const busy = createServer();
    await new Promise<void>((listening) => busy.listen(0, '127.0.0.1', () => listening()));
    const port = (busy.address() as { port: number }).port;
    try {
      const taken = await run(['serve', '--model', './runs/strong/model', '--port', String(port)]);
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`rlgf: error: port: got ${port}, expected a port free on 127.0.0.1 (pick another --port, or 0 for any free one)`);
    } finally {
      busy.close();
    }
    const missing = await run(['serve', '--model', './runs/nothing-here', '--port', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n').filter((line) => line.startsWith('rlgf: error:'))).toHaveLength(1);
  });
});
