import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliWorkspace, repositoryRoot as repo, syntheticModel } from '../testing/cli-workspace';

// The chat-endpoint guide against `rlgf serve` in another process (issue #21's "done when"):
// a tiny synthetic Llama fine-tuned here, served with a ChatML chat template written into a copy
// of its tokenizer_config.json, answers /v1/chat/completions with assistant prefill (vLLM's
// continue_final_message). The server counts the requests it receives (GET /info,
// stats.requests), so "no request twice" is counted where it matters.
let workspace: CliWorkspace;
let serve: ServeProcess;
const chatml =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `rlgf serve` in a child process and reads the URL it prints on stdout. */
function startServe(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(repo, 'apps/cli/bin/rlgf.js'), 'serve', '--port', '0', ...args], { cwd: workspace.cwd, env: workspace.env() });
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

/** The chat requests the server has received so far. */
async function chatRequests(server: ServeProcess = serve): Promise<number> {
  const info = (await (await fetch(`${server.url}/info`)).json()) as { stats: { requests: Record<string, number> } };
  return info.stats.requests['/v1/chat/completions'];
}

/** D2LOLS on the synthetic task from a random policy, the served chat model as its guide. */
function chatRecipe(name: string, guideOptions = '', extra = ''): Promise<string> {
  return workspace.recipe(
    name,
    `task: { id: synthetic }
policy: { model: { source: ${syntheticModel}, init: random } }
guide: { id: chat-endpoint, options: { endpointUrl: '${serve.url}', model: guide, prefill: true, instruction: 'a', concurrency: 4, ${guideOptions} } }
algorithm: { name: d2lols, d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1 }
rollout: { iterations: 4, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 1 }
evaluation: { every: 3, limit: 8, final: { limit: 8 } }
checkpoint: { every: 2, keep: 4 }
logging: { progress: lines }
${extra}`,
  );
}

const sum = (rows: readonly Record<string, unknown>[], column: string) => rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);

beforeAll(async () => {
  workspace = await CliWorkspace.create('chat-serve');
  await workspace.sftSynthetic('guide', { share: 0.9, limit: 200, evaluationLimit: 8 });
  // A copy of the fine-tuned model whose tokenizer_config.json carries a chat template.
  await cp(workspace.path('runs/guide/model'), workspace.path('chat-guide-model'), { recursive: true });
  const configPath = workspace.path('chat-guide-model/tokenizer_config.json');
  const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  await writeFile(configPath, JSON.stringify({ ...config, chat_template: chatml }, null, 2));
  await writeFile(workspace.path('chatml.jinja'), chatml);
  serve = await startServe(['--model', './chat-guide-model']);
}, 180_000);
afterAll(() => serve?.child.kill('SIGKILL'));

describe('the chat-endpoint guide against rlgf serve in another process', () => {
  it('trains D2LOLS; the same run again gives the same metrics without a request (seeds and the cache)', async () => {
    expect(serve.stderr()).toContain('chat template from tokenizer_config.json');
    const start = await chatRequests();
    const first = await workspace.run(['train', '--config', await chatRecipe('serve-a')]);
    expect(first.code).toBe(0);
    const rows = await workspace.metricRows(join(workspace.cwd, 'runs/serve-a'));
    expect(rows.map((row) => row.phase)).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'ppo++']);
    expect(rows.every((row) => row['rollout/guide_failures'] === 0)).toBe(true);
    // The server received exactly what the trainer says it sent, tokens counted from its usage.
    const sent = (await chatRequests()) - start;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBe(sum(rows, 'guide/requests'));
    expect(sum(rows, 'guide/cached_answers')).toBe(0);
    expect(sum(rows, 'guide/prompt_tokens')).toBeGreaterThan(sent * 20);
    expect(sum(rows, 'guide/completion_tokens')).toBeGreaterThan(0);

    const repeated = await chatRequests();
    const second = await workspace.run(['train', '--config', await chatRecipe('serve-b')]);
    expect(second.code).toBe(0);
    const again = await workspace.metricRows(join(workspace.cwd, 'runs/serve-b'));
    const withoutUsage = (list: Record<string, unknown>[]) => list.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('guide/'))));
    expect(withoutUsage(again)).toEqual(withoutUsage(rows));
    expect(await chatRequests()).toBe(repeated);
    expect(sum(again, 'guide/cached_answers')).toBe(sent);
  }, 300_000);

  it('resumes a SIGKILLed run without sending a request twice: the server counts what an uninterrupted run sends', async () => {
    const reference = await chatRequests();
    const uninterrupted = await workspace.run(['train', '--config', await chatRecipe('serve-ref', "cacheDir: 'cache-ref'", 'seed: 11')]);
    expect(uninterrupted.code).toBe(0);
    const needed = (await chatRequests()) - reference;
    expect(needed).toBeGreaterThan(0);

    // The same run with a cold cache of its own, killed while it evaluates after iteration 3 of 4
    // (evaluation sends no guide request; the checkpoint is after iteration 2, so iteration 3 runs again).
    const start = await chatRequests();
    const path = await chatRecipe('serve-killed', "cacheDir: 'cache-killed'", 'seed: 11');
    const killed = await workspace.signalWhenLogged(['train', '--config', path], 'iteration 3/4', 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const beforeKill = (await chatRequests()) - start;
    expect(beforeKill).toBeGreaterThan(0);
    const resumed = await workspace.run(['train', '--resume', join(workspace.cwd, 'runs/serve-killed')]);
    expect(resumed.code).toBe(0);
    const rows = await workspace.metricRows(join(workspace.cwd, 'runs/serve-killed'));
    expect(rows.map((row) => row.iteration)).toEqual([1, 2, 3, 4]);
    // Iteration 3's answers came from the cache after the resume.
    expect(rows[2]['guide/requests']).toBe(0);
    expect(rows[2]['guide/cached_answers']).toBeGreaterThan(0);
    expect((await chatRequests()) - start).toBe(needed);
  }, 300_000);

  it('stops cleanly in one line when the token budget is spent (tokens as rlgf serve counts them)', async () => {
    const result = await workspace.run(['train', '--config', await chatRecipe('serve-budget', 'maxTokens: 400, cache: false', 'seed: 12')]);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('rlgf: error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^rlgf: error: chat guide ${serve.url} \\(model guide\\): the guide's token budget of 400 is spent \\(\\d+ tokens used; option maxTokens\\)`));
    expect(result.stderr).toMatch(/--set guide\.options\.maxTokens=/);
  }, 120_000);
});

describe('rlgf serve --chat-template', () => {
  it('serves a model without a template with one from a file; without it, chat is 422 naming the option', async () => {
    const bare = await startServe(['--model', './runs/guide/model']);
    const given = await startServe(['--model', './runs/guide/model', '--chat-template', 'chatml.jinja']);
    try {
      expect(bare.stderr()).toContain('no chat template (POST /v1/chat/completions answers 422; --chat-template <file> gives one)');
      expect(given.stderr()).toContain('chat template from chatml.jinja');
      const ask = (url: string) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ model: 'guide', messages: [{ role: 'assistant', content: 'a b' }], continue_final_message: true, add_generation_prompt: false, max_tokens: 3, seed: 1 }),
        });
      const refused = await ask(bare.url);
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: string }).error).toMatch(/has no chat template .*--chat-template <file>/);
      const answered = await ask(given.url);
      expect(answered.status).toBe(200);
      const body = (await answered.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
      // "<|im_start|>assistant\na b": <| im_start |> assistant a b, word by word.
      expect(body.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 3 });
    } finally {
      bare.child.kill('SIGTERM');
      given.child.kill('SIGTERM');
    }
    expect([await bare.exited, await given.exited]).toEqual([0, 0]);
  }, 120_000);

  it('refuses a missing file, a folder and a file that is not a Jinja template, in one line each', async () => {
    await writeFile(workspace.path('broken.jinja'), '{% for m in messages %}{{ m.content }');
    const cases: [string, RegExp][] = [
      ['missing.jinja', /^rlgf: error: --chat-template: got "missing\.jinja", expected a readable file holding a Jinja chat template \(there is no such file\)$/],
      ['runs', /^rlgf: error: --chat-template: got "runs", expected a readable file holding a Jinja chat template \(it is a folder\)$/],
      ['broken.jinja', /^rlgf: error: --chat-template: got "broken\.jinja", expected a file holding a Jinja chat template \(does not parse: .+\) \(give the template itself/],
    ];
    for (const [file, expected] of cases) {
      const result = await workspace.run(['serve', '--model', './runs/guide/model', '--port', '0', '--chat-template', file]);
      expect(result.code).not.toBe(0);
      const errors = result.stderr.trim().split('\n').filter((line) => line.startsWith('rlgf: error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(expected);
    }
  });
});
