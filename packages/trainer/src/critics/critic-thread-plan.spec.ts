import { criticThreadPlan, type CriticThreadFacts } from './critic-thread-plan';

const eligible: CriticThreadFacts = {
  setting: 'auto',
  criticCount: 2,
  threads: 2,
  backend: 'wasm',
  sharedTrunk: false,
  criticLora: false,
  tokenizerFiles: true,
  builtInArchitecture: true,
  sameBatchLayout: true,
};

describe('criticThreadPlan', () => {
  it('gives a separate whole critic a thread of its own and splits the kernel threads, the main thread keeping the odd one', () => {
    expect(criticThreadPlan(eligible)).toEqual({ onOwnThread: true, criticThreads: 1, mainThreads: 1 });
    expect(criticThreadPlan({ ...eligible, threads: 16 })).toEqual({ onOwnThread: true, criticThreads: 8, mainThreads: 8 });
    expect(criticThreadPlan({ ...eligible, threads: 3, backend: 'cpu' })).toEqual({ onOwnThread: true, criticThreads: 1, mainThreads: 2 });
  });

  it.each([
    [{ setting: 'main' as const }, 'critic.thread is main'],
    [{ criticCount: 0 }, 'the algorithm trains no critic'],
    [{ threads: 1 }, 'the run uses one thread'],
    [{ backend: 'webgpu' }, "the webgpu backend does not run its kernels on this process's threads"],
    [{ backend: 'tensorflow' }, "the tensorflow backend does not run its kernels on this process's threads"],
    [{ sharedTrunk: true }, "the critic's head sits on the policy's trunk"],
    [{ criticLora: true }, 'the critic is a LoRA adapter on the base the policy shares'],
    [{ tokenizerFiles: false }, "the critic's trunk has no tokenizer files to rebuild it from"],
    [{ builtInArchitecture: false }, "the critic's architecture comes from a plugin"],
    [{ sameBatchLayout: false }, "the critic's model pads or starts sequences unlike the policy's"],
  ])('keeps the critics on the main thread when %o, saying why', (change, reason) => {
    expect(criticThreadPlan({ ...eligible, ...change })).toEqual({ onOwnThread: false, reason });
  });
});
