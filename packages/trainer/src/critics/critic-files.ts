import { writeSafetensorsFile, type AdamW, type Critic, type WeightMap } from '@rlgf/models';
import { join } from 'node:path';
import type { CriticRole } from '../algorithms/iteration-plan';
import { saveOptimizer } from '../learner/optimizer-files';

/** The checkpoint file of a critic's weights (head, and trunk unless it is an adapter). */
export function criticWeightsFile(dir: string, role: CriticRole): string {
  return join(dir, `critic-${role}.safetensors`);
}

/** The checkpoint file of a critic's optimizer state. */
export function criticOptimizerFile(dir: string, role: CriticRole): string {
  return join(dir, `optimizer-critic-${role}.safetensors`);
}

/** Writes a critic's weights (`weights`: all of them, or the head of one whose trunk is an adapter) and its optimizer. */
export async function saveCriticFiles(dir: string, role: CriticRole, critic: Critic, optimizer: AdamW, weights: WeightMap): Promise<void> {
  await writeSafetensorsFile(criticWeightsFile(dir, role), weights, { metadata: { format: 'rlgf-critic', shared: String(critic.shared) } });
  await saveOptimizer(criticOptimizerFile(dir, role), optimizer, critic.variables);
}
