import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli, type CliRun } from './run-cli';

/** When `CliWorkspace.signalWhen` signals a run: a line of its log, or a folder entry appearing. */
export type KillTrigger = { readonly log: string } | { readonly in: string; readonly entry: string };

/** How a child `rlgf` ended, and whether the signal was sent (the trigger may never happen). */
export interface EndedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly signalled: boolean;
}

/** The repository root and the synthetic task's tiny Llama definition (tests only). */
export const repositoryRoot = resolve(__dirname, '../../../..');
export const syntheticModel = join(repositoryRoot, 'plugins/task-synthetic/model');

/**
 * A temporary folder that end-to-end CLI tests run in: its own model cache, recipes written into
 * it, and the CLI run in-process with it as the working directory.
 */
export class CliWorkspace {
  private constructor(readonly cwd: string) {}

  static async create(prefix: string): Promise<CliWorkspace> {
    return new CliWorkspace(await mkdtemp(join(tmpdir(), `rlgf-${prefix}-`)));
  }

  /** The environment of a run in this workspace (also for child processes). */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, RLGF_CACHE_DIR: join(this.cwd, 'cache'), ...extra };
  }

  run(args: readonly string[]): Promise<CliRun> {
    return runCli(args, { cwd: this.cwd, env: this.env() });
  }

  path(...parts: string[]): string {
    return join(this.cwd, ...parts);
  }

  /** Writes `<name>.yaml` with `name: <name>` followed by `body`; returns its path. */
  async recipe(name: string, body: string): Promise<string> {
    const path = this.path(`${name}.yaml`);
    await writeFile(path, `name: ${name}\n${body}`);
    return path;
  }

  /**
   * Fine-tunes a model from scratch on the synthetic task to `runs/<name>/model`, its references
   * holding the target letter with probability `share`: a weak or a strong policy or guide.
   */
  async sftSynthetic(name: string, options: { share: number; model?: string; limit?: number; evaluationLimit?: number }): Promise<void> {
    const path = await this.recipe(
      name,
      `task: { id: synthetic, options: { referenceTargetShare: ${options.share} } }
policy: { model: { source: ${options.model ?? syntheticModel}, init: random } }
sft: { epochs: 2, learningRate: 0.003, batchSize: 32, limit: ${options.limit ?? 500}, maxTokens: 16 }
optimization: { maxGradNorm: 1 }
evaluation: { limit: ${options.evaluationLimit ?? 32} }
logging: { progress: none }
`,
    );
    const result = await this.run(['sft', '--config', path]);
    if (result.code !== 0) throw new Error(result.stderr);
  }

  /**
   * Runs `rlgf <args>` in a child process and sends it `signal` as soon as its log shows `marker`
   * (SIGKILL: the way a crash or an out-of-memory kill ends a run); resolves with how it ended.
   */
  signalWhenLogged(args: readonly string[], marker: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<EndedRun> {
    return this.signalWhen(args, { log: marker }, signal);
  }

  /**
   * Runs `rlgf <args>` in a child process and sends it `signal` when `trigger` happens: its log
   * shows a line, or an entry whose name starts with `entry` appears in the folder `in` (relative
   * to the workspace), e.g. the temporary folder of a checkpoint being written. The folder is
   * polled every millisecond: a checkpoint of the synthetic models takes several.
   */
  signalWhen(args: readonly string[], trigger: KillTrigger, signal: NodeJS.Signals = 'SIGKILL'): Promise<EndedRun> {
    const child = spawn(process.execPath, [join(repositoryRoot, 'apps/cli/bin/rlgf.js'), ...args], { cwd: this.cwd, env: this.env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      child.kill(signal);
    };
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if ('log' in trigger && stderr.includes(trigger.log)) send();
    });
    const folder = 'entry' in trigger ? this.path(trigger.in) : undefined;
    const poll =
      folder && 'entry' in trigger
        ? setInterval(() => {
            if (existsSync(folder) && readdirSync(folder).some((name) => name.startsWith(trigger.entry))) send();
          }, 1)
        : undefined;
    return new Promise((done) =>
      child.on('exit', (code, ended) => {
        clearInterval(poll);
        done({ code, signal: ended, stderr, signalled: sent });
      }),
    );
  }

  /** The rows of a run's metrics.jsonl, without the timing columns (they differ between runs). */
  async metricRows(runDir: string): Promise<Record<string, unknown>[]> {
    const text = await readFile(resolve(this.cwd, runDir, 'metrics.jsonl'), 'utf8');
    return text
      .trim()
      .split('\n')
      .map((line) => Object.fromEntries(Object.entries(JSON.parse(line) as Record<string, unknown>).filter(([key]) => !timingColumns.has(key))));
  }
}

// Measurements of the machine, not of the run: they differ between identical runs.
const timingColumns = new Set(['time/reward_ms', 'time/roll_in_ms', 'time/roll_out_ms', 'time/update_ms', 'time/iteration_ms', 'speed/tokens_per_s', 'memory/peak_rss_mb']);
