import { DecodeSession } from '@rlgf/models';
import { checkRows } from './check-rows';
import type { GeneratedRow, GenerationRow } from './generation-row';
import { RowDecoder } from './row-decoder';
import type { ServableModel } from './servable-model';

/**
 * Continues a batch of rows with one forward pass per step for the whole batch. Unlike the
 * model's `generate` (one decoding and one random stream per call), every row keeps its own
 * decoding, budget, stop strings and random stream, so requests with different settings share a
 * batch and a seeded request samples the same tokens whatever it is batched with. Finished rows
 * keep feeding padding until the batch ends; they are never attended to. Between steps it yields
 * to the event loop: a batch is hundreds of synchronous forward passes, and without the yield no
 * request (not even `/health`) was read until it ended, so the server's admission limit never saw
 * the requests waiting and `/health` took seconds under load.
 */
export async function generateRows(model: ServableModel, rows: readonly GenerationRow[]): Promise<GeneratedRow[]> {
  if (rows.length === 0) return [];
  checkRows(model, rows);
  const decoders = rows.map((row) => new RowDecoder(row, model.tokenizer, model.eosTokenIds));
  const steps = Math.max(...rows.map((row) => row.maxNewTokens));
  const session = new DecodeSession(
    model.network,
    rows.map((row) => row.promptIds),
    steps,
    { padTokenId: model.padTokenId },
  );
  try {
    let logits = await session.start();
    const vocab = logits.length / rows.length;
    for (let step = 0; step < steps; step++) {
      const chosen = decoders.map((decoder, row) =>
        decoder.finished ? model.padTokenId : decoder.next(logits.subarray(row * vocab, (row + 1) * vocab)),
      );
      if (decoders.every((decoder) => decoder.finished)) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      logits = await session.step(chosen);
    }
  } finally {
    session.dispose();
  }
  return decoders.map((decoder) => decoder.result());
}
