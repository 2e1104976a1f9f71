import { criticThreadPlan, policyCopyPlan, policyCopyLimit, type CriticThreadFacts, type PolicyCopyFacts } from './critic-thread-plan';

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

describe('policyCopyPlan', () => {
  const copyable: PolicyCopyFacts = { policyLora: false, tokenizerFiles: true, builtInArchitecture: true, parameterCount: 260_000 };

  it('lets the critic thread generate with a copy of a whole built-in policy up to the size limit', () => {
    expect(policyCopyPlan(copyable)).toEqual({ holdsPolicy: true });
    expect(policyCopyPlan({ ...copyable, parameterCount: policyCopyLimit })).toEqual({ holdsPolicy: true });
  });

  it.each([
    [{ policyLora: true }, 'the policy is a LoRA adapter on a shared base'],
    [{ tokenizerFiles: false }, 'the policy has no tokenizer files to rebuild it from'],
    [{ builtInArchitecture: false }, "the policy's architecture comes from a plugin"],
    [{ parameterCount: policyCopyLimit + 1 }, 'the policy has more than 200M parameters (a copy would double its memory)'],
  ])('keeps generation on the main thread when %o, saying why', (change, reason) => {
    expect(policyCopyPlan({ ...copyable, ...change })).toEqual({ holdsPolicy: false, reason });
  });
});
