export interface KlControllerState {
  readonly kind: 'fixed' | 'adaptive';
  readonly coef: number;
}

export interface KlController {
  /** The current β_KL. */
  readonly coef: number;
  /** Updates β_KL from the mean per-sequence KL of an iteration over `samples` samples. */
  update(meanSequenceKl: number, samples: number): void;
  getState(): KlControllerState;
}

export function fixedKlController(coef: number): KlController {
  return {
    coef,
    update: () => undefined,
    getState: () => ({ kind: 'fixed', coef }),
  };
}

/**
 * Ziegler et al. (2019): β ← β · (1 + clip(KL/target − 1, −0.2, 0.2) · n / horizon), raising β
 * when the policy drifts past the target KL and lowering it when it stays below.
 */
export function adaptiveKlController(settings: { coef: number; target: number; horizon: number }): KlController {
  let coef = settings.coef;
  return {
    get coef() {
      return coef;
    },
    update(meanSequenceKl, samples) {
      const error = Math.min(Math.max(meanSequenceKl / settings.target - 1, -0.2), 0.2);
      coef *= 1 + (error * samples) / settings.horizon;
    },
    getState: () => ({ kind: 'adaptive', coef }),
  };
}
