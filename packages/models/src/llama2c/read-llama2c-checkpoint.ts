import { ModelFormatError } from '@rlgf/contracts';

/** The 7-int32 header of a llama2.c `.bin` checkpoint (legacy "version 0" export). */
export interface Llama2cConfig {
  readonly dim: number;
  readonly hiddenDim: number;
  readonly nLayers: number;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly vocabSize: number;
  readonly seqLen: number;
  /** A positive vocab_size in the file means the classifier is the token embedding. */
  readonly sharedClassifier: boolean;
}

/** The weights in run.c's order and layout: per-layer blocks stacked, each matrix [out, in]. */
export interface Llama2cWeights {
  readonly tokenEmbedding: Float32Array; // [vocab, dim]
  readonly rmsAtt: Float32Array; // [layers, dim]
  readonly wq: Float32Array; // [layers, heads * headSize, dim]
  readonly wk: Float32Array; // [layers, kvHeads * headSize, dim]
  readonly wv: Float32Array; // [layers, kvHeads * headSize, dim]
  readonly wo: Float32Array; // [layers, dim, heads * headSize]
  readonly rmsFfn: Float32Array; // [layers, dim]
  readonly w1: Float32Array; // [layers, hidden, dim]
  readonly w2: Float32Array; // [layers, dim, hidden]
  readonly w3: Float32Array; // [layers, hidden, dim]
  readonly rmsFinal: Float32Array; // [dim]
  /** Only when the classifier is not shared. */
  readonly wcls?: Float32Array; // [vocab, dim]
}

const headerBytes = 28;
// Newer llama2.c exports (version 1 and 2) start with this magic instead of the legacy header.
const versionedMagic = 0x616b3432;

function fail(file: string, message: string, hint = 'the file is truncated or not a llama2.c checkpoint'): never {
  throw new ModelFormatError({ file, message, hint });
}

export function parseLlama2cHeader(bytes: Uint8Array, file: string): Llama2cConfig {
  if (bytes.length < headerBytes) fail(file, `${bytes.length} bytes is too short for the 28-byte llama2.c header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  if (view.getUint32(0, true) === versionedMagic) {
    fail(file, 'is a versioned llama2.c export (magic "ak42"), not the legacy format run.c reads', 'export it with `python export.py --version 0` (the legacy format) and convert that');
  }
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, signedVocab, seqLen] = Array.from({ length: 7 }, (_, i) => view.getInt32(i * 4, true));
  const vocabSize = Math.abs(signedVocab);
  const fields = { dim, hidden_dim: hiddenDim, n_layers: nLayers, n_heads: nHeads, n_kv_heads: nKvHeads, vocab_size: vocabSize, seq_len: seqLen };
  for (const [name, value] of Object.entries(fields)) {
    if (value <= 0) fail(file, `header field ${name} is ${value}; it must be positive`);
  }
  if (dim % nHeads !== 0 || (dim / nHeads) % 2 !== 0) fail(file, `dim ${dim} is not n_heads ${nHeads} times an even head size`);
  if (nHeads % nKvHeads !== 0) fail(file, `n_heads ${nHeads} is not a multiple of n_kv_heads ${nKvHeads}`);
  return { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier: signedVocab > 0 };
}

/**
 * Splits a llama2.c checkpoint into its weights, after checking that the file holds exactly the
 * float count the header implies (run.c itself never checks and reads garbage instead).
 */
export function parseLlama2cCheckpoint(bytes: Uint8Array, file: string): { config: Llama2cConfig; weights: Llama2cWeights } {
  const config = parseLlama2cHeader(bytes, file);
  const { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen } = config;
  const headSize = dim / nHeads;
  const kvDim = nKvHeads * headSize;
  const sizes = {
    tokenEmbedding: vocabSize * dim,
    rmsAtt: nLayers * dim,
    wq: nLayers * dim * dim,
    wk: nLayers * kvDim * dim,
    wv: nLayers * kvDim * dim,
    wo: nLayers * dim * dim,
    rmsFfn: nLayers * dim,
    w1: nLayers * hiddenDim * dim,
    w2: nLayers * dim * hiddenDim,
    w3: nLayers * hiddenDim * dim,
    rmsFinal: dim,
    // The precomputed RoPE tables (freq_cis_real, freq_cis_imag) that old exports still carry.
    freqCis: seqLen * headSize,
    wcls: config.sharedClassifier ? 0 : vocabSize * dim,
  };
  const floats = Object.values(sizes).reduce((sum, count) => sum + count, 0);
  const expected = headerBytes + 4 * floats;
  if (bytes.length !== expected) {
    fail(file, `holds ${bytes.length} bytes but its header (dim ${dim}, ${nLayers} layers, vocab ${vocabSize}, ${config.sharedClassifier ? 'shared' : 'separate'} classifier) implies ${expected}`);
  }
  // Float32 views need 4-byte alignment: copy only when the buffer does not provide it.
  const aligned = (bytes.byteOffset + headerBytes) % 4 === 0 ? bytes : new Uint8Array(bytes);
  const all = new Float32Array(aligned.buffer, aligned.byteOffset + headerBytes, floats);
  let offset = 0;
  const take = (count: number) => all.subarray(offset, (offset += count));
  const weights = {
    tokenEmbedding: take(sizes.tokenEmbedding),
    rmsAtt: take(sizes.rmsAtt),
    wq: take(sizes.wq),
    wk: take(sizes.wk),
    wv: take(sizes.wv),
    wo: take(sizes.wo),
    rmsFfn: take(sizes.rmsFfn),
    w1: take(sizes.w1),
    w2: take(sizes.w2),
    w3: take(sizes.w3),
    rmsFinal: take(sizes.rmsFinal),
  };
  take(sizes.freqCis);
  return { config, weights: config.sharedClassifier ? weights : { ...weights, wcls: take(sizes.wcls) } };
}
