import { RlgfError, type MetricItemV1, type MetricV1 } from '@rlgf/contracts';

export interface MetricContractOptions {
  /** Realistic items to score (at least two). */
  readonly items: readonly MetricItemV1[];
  /**
   * False for corpus statistics without per-item scores (diversity): asked for them, the metric
   * says so in a `per-item-unsupported` warning. Default true.
   */
  readonly perItem?: boolean;
}

/** The behaviour every metric plugin promises. */
export function describeMetricContract(name: string, createMetric: () => Promise<MetricV1>, options: MetricContractOptions): void {
  describe(`metric contract: ${name}`, () => {
    let metric: MetricV1;
    beforeAll(async () => {
      metric = await createMetric();
    });
    afterAll(async () => {
      await metric?.close?.();
    });

    it('declares version, id and the reference implementation it reproduces', () => {
      expect(metric.specificationVersion).toBe('v1');
      expect(metric.id.length).toBeGreaterThan(0);
      expect(metric.reference.length).toBeGreaterThan(0);
      expect(typeof metric.higherIsBetter).toBe('boolean');
    });

    it('returns finite corpus scores, the same on every call', async () => {
      const first = await metric.doCompute({ items: options.items });
      const names = Object.keys(first.corpus);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(Number.isFinite(first.corpus[name])).toBe(true);
      expect(Array.isArray(first.warnings)).toBe(true);
      const second = await metric.doCompute({ items: options.items });
      expect(second.corpus).toEqual(first.corpus);
    });

    (options.perItem === false ? it.skip : it)('returns per-item scores aligned with the items when asked', async () => {
      const result = await metric.doCompute({ items: options.items, perItem: true });
      expect(result.perItem).toBeDefined();
      for (const scores of Object.values(result.perItem ?? {})) {
        expect(scores).toHaveLength(options.items.length);
        for (const score of scores) expect(Number.isFinite(score)).toBe(true);
      }
    });

    (options.perItem === false ? it : it.skip)('says so when asked for per-item scores it does not compute (declared corpus-only)', async () => {
      const result = await metric.doCompute({ items: options.items, perItem: true });
      expect(result.perItem).toBeUndefined();
      expect(result.warnings.map((warning) => warning.type)).toContain('per-item-unsupported');
    });

    it('handles an empty corpus with a result or a clear error, never a crash', async () => {
      try {
        const result = await metric.doCompute({ items: [] });
        // NaN or Infinity would poison means and plots downstream: a score, or a clear error.
        for (const value of Object.values(result.corpus)) expect(Number.isFinite(value)).toBe(true);
      } catch (error) {
        expect(RlgfError.isInstance(error)).toBe(true);
      }
    });
  });
}
