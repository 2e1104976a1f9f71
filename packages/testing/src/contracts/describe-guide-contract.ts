import type { GuideInputV1, GuideV1 } from '@rlgf/contracts';

export interface GuideContractOptions {
  /** Prompts to continue; for `shared` guides give `promptIds` too. */
  readonly inputs: readonly GuideInputV1[];
  readonly maxNewTokens: number;
  /** The guide promises equal outputs for equal seeds (local guides do; remote ones may not). */
  readonly seeded: boolean;
}

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
      for (const output of result.outputs) {
        if (output.status === 'failed') {
          expect(output.reason.length).toBeGreaterThan(0);
          continue;
        }
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
      if (output.status !== 'ok' || output.text.length < 2) return;
      const prefixed: GuideInputV1 =
        guide.tokenization === 'shared'
          ? { ...input, prefixIds: output.ids?.slice(0, 1), prefixText: undefined }
          : { ...input, prefixText: output.text.slice(0, 1) };
      const second = await guide.doGenerate({ inputs: [prefixed], maxNewTokens: options.maxNewTokens, seed: 2 });
      expect(second.outputs).toHaveLength(1);
      if (second.outputs[0].status === 'ok' && guide.tokenization === 'shared') {
        expect(second.outputs[0].ids?.length ?? 0).toBeLessThanOrEqual(options.maxNewTokens);
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
