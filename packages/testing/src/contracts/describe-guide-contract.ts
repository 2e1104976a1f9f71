import type { GuideInputV1, GuideV1 } from '@rlgf/contracts';

export interface GuideContractOptions {
  /** Prompts to continue; for `shared` guides give `promptIds` too. */
  readonly inputs: readonly GuideInputV1[];
  readonly maxNewTokens: number;
  /** The guide promises equal outputs for equal seeds (local guides do; remote ones may not). */
  readonly seeded: boolean;
  /**
   * The guide returns the ids it wrote, so the minimum length can be checked in its tokens (local
   * guides with a shared tokenizer; a text guide's tokens are the server's). Default false.
   */
  readonly reportsTokens?: boolean;
}

const guideTokens = (options: GuideContractOptions) => options.reportsTokens === true;

/** The behaviour every guide plugin promises. */
export function describeGuideContract(name: string, createGuide: () => Promise<GuideV1>, options: GuideContractOptions): void {
  describe(`guide contract: ${name}`, () => {
    let guide: GuideV1;
    beforeAll(async () => {
      guide = await createGuide();
    });
    afterAll(async () => {
      await guide?.close?.();
    });

    it('declares version, id and how it exchanges tokens', () => {
      expect(guide.specificationVersion).toBe('v1');
      expect(guide.id.length).toBeGreaterThan(0);
      expect(['shared', 'text']).toContain(guide.tokenization);
    });

    it('returns one output per input, within the token budget', async () => {
      const result = await guide.doGenerate({ inputs: options.inputs, maxNewTokens: options.maxNewTokens, seed: 1 });
      expect(result.outputs).toHaveLength(options.inputs.length);
      // A working guide under test answers: failures would make every other check vacuous.
      expect(result.outputs.map((output) => (output.status === 'failed' ? output.reason : 'ok'))).toEqual(options.inputs.map(() => 'ok'));
      for (const output of result.outputs) {
        if (output.status === 'failed') continue;
        expect(typeof output.text).toBe('string');
        if (guide.tokenization === 'shared') {
          expect(output.ids).toBeDefined();
          expect(output.ids?.length ?? 0).toBeLessThanOrEqual(options.maxNewTokens);
        }
      }
    });

    it('accepts a forced prefix and stays within the token budget', async () => {
      const input = options.inputs[0];
      const first = await guide.doGenerate({ inputs: [input], maxNewTokens: options.maxNewTokens, seed: 2 });
      const output = first.outputs[0];
      if (output.status !== 'ok') throw new Error(`the guide failed on the contract's first input: ${output.reason}`);
      expect(output.text.length).toBeGreaterThanOrEqual(1);
      const prefixed: GuideInputV1 =
        guide.tokenization === 'shared'
          ? { ...input, prefixIds: output.ids?.slice(0, 1), prefixText: undefined }
          : { ...input, prefixText: output.text.slice(0, 1) };
      const second = await guide.doGenerate({ inputs: [prefixed], maxNewTokens: options.maxNewTokens, seed: 2 });
      expect(second.outputs.map((o) => o.status)).toEqual(['ok']);
      if (second.outputs[0].status === 'ok' && guide.tokenization === 'shared') {
        expect(second.outputs[0].ids?.length ?? 0).toBeLessThanOrEqual(options.maxNewTokens);
      }
    });

    (guideTokens(options) ? it : it.skip)('writes at least minNewTokens tokens (declared: it counts tokens it can report)', async () => {
      const result = await guide.doGenerate({ inputs: options.inputs, maxNewTokens: options.maxNewTokens, minNewTokens: options.maxNewTokens, seed: 3 });
      for (const output of result.outputs) {
        expect(output.status).toBe('ok');
        if (output.status === 'ok') expect(output.ids).toHaveLength(options.maxNewTokens);
      }
    });

    (options.seeded ? it : it.skip)('gives the same outputs for the same seed (declared seeded)', async () => {
      const a = await guide.doGenerate({ inputs: options.inputs, maxNewTokens: options.maxNewTokens, seed: 7 });
      const b = await guide.doGenerate({ inputs: options.inputs, maxNewTokens: options.maxNewTokens, seed: 7 });
      expect(b.outputs).toEqual(a.outputs);
    });

    it('returns no outputs for no inputs', async () => {
      const result = await guide.doGenerate({ inputs: [], maxNewTokens: options.maxNewTokens, seed: 1 });
      expect(result.outputs).toEqual([]);
    });
  });
}
