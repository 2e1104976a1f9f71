// The critic thread: critics with their own trunks and optimizers, stepped on request while the
// main thread steps the policy, and a copy of the policy that generates and scores beside it. Started by CriticThread; one request runs at a time, in order.
import { InvalidArgumentError } from '@rlgf/contracts';
import { Critic, createLanguageModel, createTokenizer, setBackend, setThreads, valueHeadWeightNames, type AdamW, type TrainableLanguageModel } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import { parentPort } from 'node:worker_threads';
import type { CriticRole } from '../algorithms/iteration-plan';
import { criticAdamW } from '../learner/adamw-for';
import { saveCriticFiles } from './critic-files';
import type { CriticReply, CriticRequest } from './critic-thread-protocol';
import { serializeError } from './critic-thread-protocol';
import { LocalCritic } from './local-critic';

interface HeldCritic {
  readonly critic: Critic;
  readonly optimizer: AdamW;
  readonly access: LocalCritic;
}

const critics = new Map<CriticRole, HeldCritic>();
let optimization: Recipe['optimization'] | undefined;
/** The policy's weights as last sent: generation and scoring calls run here beside the main thread's. */
let policyCopy: TrainableLanguageModel | undefined;

function hold(role: CriticRole, critic: Critic, optimizer: AdamW): void {
  const previous = critics.get(role);
  previous?.critic.dispose();
  previous?.optimizer.dispose();
  // A separate critic lays out its own batches: it has the policy's architecture and tokenizer.
  critics.set(role, { critic, optimizer, access: new LocalCritic(critic, optimizer, critic.trunk as NonNullable<Critic['trunk']>) });
}

function held(role: CriticRole): HeldCritic {
  const found = critics.get(role);
  if (found === undefined) throw new InvalidArgumentError({ argument: 'critic role', value: role, expected: `one of the roles this thread holds (${[...critics.keys()].join(', ') || 'none'})` });
  return found;
}

function heldPolicy(op: string): TrainableLanguageModel {
  if (policyCopy === undefined) throw new InvalidArgumentError({ argument: op, expected: 'a copy of the policy sent first' });
  return policyCopy;
}

async function handle(request: CriticRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      await setBackend(request.backend);
      setThreads(request.threads);
      return undefined;
    case 'adopt': {
      const isHead = (name: string) => name === valueHeadWeightNames.weight || name === valueHeadWeightNames.bias;
      const trunkWeights = new Map([...request.weights].filter(([name]) => !isHead(name)));
      const head = new Map([...request.weights].filter(([name]) => isHead(name)));
      const trunk = createLanguageModel(request.config, trunkWeights, createTokenizer(request.tokenizerFiles), { tokenizerFiles: request.tokenizerFiles });
      const critic = new Critic({ trunk: 'separate', trunkFrom: trunk, head });
      trunk.dispose();
      optimization = request.optimization;
      const optimizer = criticAdamW(request.optimization);
      optimizer.importState(critic.variables, request.optimizerState);
      hold(request.role, critic, optimizer);
      return undefined;
    }
    case 'values':
      return held(request.role).access.values(request.rows, request.width, request.chunkRows);
    case 'step':
      return held(request.role).access.step(request.minibatch, request.settings);
    case 'copy': {
      // As Learner.copyCritic: the trunk and head copied, a fresh optimizer.
      const source = held(request.from).critic;
      const copy = new Critic({ trunk: 'separate', trunkFrom: source.trunk as NonNullable<Critic['trunk']>, head: { copyOf: source.head } });
      if (optimization === undefined) throw new InvalidArgumentError({ argument: 'copy', expected: 'a critic adopted first' });
      hold(request.to, copy, criticAdamW(optimization));
      return undefined;
    }
    case 'save': {
      const { critic, optimizer } = held(request.role);
      await saveCriticFiles(request.dir, request.role, critic, optimizer, await critic.getWeights());
      return undefined;
    }
    case 'weights':
      return held(request.role).critic.getWeights();
    case 'policy':
      // Calls sent after these weights must not find the previous copy if these fail to load.
      policyCopy?.dispose();
      policyCopy = undefined;
      policyCopy = createLanguageModel(request.config, request.weights, createTokenizer(request.tokenizerFiles), { tokenizerFiles: request.tokenizerFiles });
      return undefined;
    case 'generate':
      return heldPolicy('generate').generate(request.request);
    case 'score':
      return heldPolicy('score').scoreTokens(request.promptIds, request.targetIds);
    case 'close':
      policyCopy?.dispose();
      policyCopy = undefined;
      for (const role of [...critics.keys()]) {
        const { critic, optimizer } = held(role);
        critic.dispose();
        optimizer.dispose();
        critics.delete(role);
      }
      return undefined;
  }
}

const port = parentPort;
if (port === null) throw new Error('critic-thread-worker runs as a worker thread (started by CriticThread)');
let queue: Promise<void> = Promise.resolve();
port.on('message', ({ id, request }: { id: number; request: CriticRequest }) => {
  queue = queue.then(async () => {
    let reply: CriticReply;
    try {
      reply = { id, ok: true, result: await handle(request) };
    } catch (error) {
      reply = { id, ok: false, error: serializeError(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      // A result that cannot be cloned still answers the request, as a failure.
      port.postMessage({ id, ok: false, error: serializeError(error) } satisfies CriticReply);
    }
  });
});
