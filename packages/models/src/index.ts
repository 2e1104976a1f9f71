export { readCheckpoint, type Checkpoint, type ReadCheckpointOptions } from './checkpoint/read-checkpoint';
export { writeCheckpoint, type WriteCheckpointInput } from './checkpoint/write-checkpoint';
export { openCheckpointSource, type CheckpointSource, type OpenCheckpointOptions } from './checkpoint/checkpoint-source';
export { convertLlama2c, type ConvertLlama2cOptions, type ConvertLlama2cResult } from './llama2c/convert-llama2c';
export { permuteRotaryRows } from './llama2c/llama2c-to-hf';
export { parseSafetensors, readSafetensorsFile, type ReadSafetensorsOptions, type SafetensorsContents } from './safetensors/read-safetensors';
export { parseShardIndex, readShardedSafetensors, type ShardIndex } from './safetensors/sharded-safetensors';
export { serializeSafetensors, writeSafetensorsFile, type WriteSafetensorsOptions } from './safetensors/write-safetensors';
export { createTokenizer, type CreateTokenizerOptions } from './tokenizers/hf-tokenizer';
export { loadTokenizerFiles, type CheckpointFileReader } from './tokenizers/load-tokenizer-files';
export type { JsonObject, TokenizerFiles } from './tokenizers/tokenizer-files';
export type { HostTensor, StoredDtype, WeightMap } from './weights/weight-map';
export { backendNames, isBackendName, type BackendName } from './backend/backend-name';
export { activeBackend, setBackend } from './backend/set-backend';
export { setThreads, threadCount, withThreadCount } from './backend/threads/thread-count';
export { webGpuAdapterDescription } from './backend/webgpu-runtime';
export type {
  ArchitectureModule,
  CausalLmConfig,
  CausalLmNetwork,
  ForwardInputs,
  ForwardOutputs,
} from './architectures/causal-lm';
export { sequenceInputs } from './architectures/forward-inputs';
export { gpt2Architecture } from './architectures/gpt2';
export { llamaArchitecture } from './architectures/llama';
export { qwen2Architecture, parseQwen2Config } from './architectures/qwen2';
export { qwen3Architecture, parseQwen3Config } from './architectures/qwen3';
export { mistralArchitecture, parseMistralConfig } from './architectures/mistral';
export { gemma2Architecture, parseGemma2Config } from './architectures/gemma2';
export { phi3Architecture, parsePhi3Config } from './architectures/phi3';
export { gptNeoxArchitecture, parseGptNeoxConfig } from './architectures/gpt-neox';
export { decoderArchitecture, type DecoderFamily } from './architectures/decoder/decoder-architecture';
export type { DecoderConfig } from './architectures/decoder/decoder-config';
export type { DecoderWeightLayout } from './architectures/decoder/decoder-weights';
export { llamaNamedLayout } from './architectures/decoder/llama-named-weights';
export { inverseFrequencies, readRopeScaling, type RopeScaling } from './architectures/rope';
export { builtInArchitectures, createArchitectureRegistry, type ArchitectureRegistry, type RegisteredArchitecture } from './architectures/registry';
export { parseT5Config, relativePositionBucket, t5Architecture, T5Network, type RelativePositionSettings, type T5Config } from './architectures/t5';
export { KvCache } from './nn/kv-cache';
export { AdamW, type AdamWOptions, type AdamWState } from './nn/adamw';
export { GradientAccumulator } from './nn/gradient-accumulator';
export { attentionBias, positionsFromMask } from './nn/masks';
export { generate, type GenerationSettings } from './generation/generate';
export { DecodeSession, type DecodeSessionOptions } from './generation/decode-session';
export { openDecoding, type GenerationSource, type IncrementalDecoder, type IncrementalDecoding } from './generation/incremental-decoding';
export {
  samplingProcessors,
  suppressTokensProcessor,
  temperatureProcessor,
  topKProcessor,
  topPProcessor,
  type LogitsProcessor,
} from './generation/logits-processors';
export { argmax, sampleToken } from './generation/token-choice';
export { createSequenceBatch, type SequenceBatch } from './scoring/sequence-batch';
export { scoreSequences, type SequenceScores } from './scoring/score-sequences';
export { scoreTokens } from './scoring/score-tokens';
export { tokenLogProbs } from './scoring/token-log-probs';
export { Critic, type CriticOptions } from './critic/critic';
export { ValueHead, valueHeadWeightNames, type ValueHeadInit } from './critic/value-head';
export { CausalLanguageModel } from './model/causal-language-model';
export { createLanguageModel, type CreateLanguageModelOptions } from './model/create-language-model';
export { asCausalLanguageModel, loadCausalLanguageModel, loadLanguageModel, saveLanguageModel, type LoadLanguageModelOptions } from './model/load-language-model';
export { decoderOnlyArchitecture, type CreateModelOptions, type ModelArchitecture } from './model/model-architecture';
export { builtInModelArchitectures, createModelRegistry, MODEL_FAMILY, modelRegistryWith } from './model/model-registry';
export { Seq2SeqLanguageModel, type Seq2SeqNetworkBuilder } from './model/seq2seq-language-model';
export { Seq2SeqDecodeSession } from './model/seq2seq-decode-session';
export type { CrossAttentionMemory, DecoderInputs, Seq2SeqConfig, Seq2SeqNetwork } from './model/seq2seq-network';
export { randomWeightMap } from './weights/random-weights';
export { createRandomLanguageModel } from './model/random-language-model';
export { resolveModelReference, type ModelReference, type ResolveModelOptions } from './model/resolve-model-reference';
export { continuationIds, continuationText } from './tokenizers/continuation';
export { chatTemplateOf, renderChatTemplate, type ChatMessage, type RenderChatOptions } from './chat/chat-template';
export { chatPromptIds } from './chat/chat-prompt';
export { loadModelReference, type LoadModelReferenceOptions } from './model/load-model-reference';
export { createDecoderContinuationBatch, scoreDecoderContinuations, type ContinuationBatch, type ContinuationRow, type ContinuationScores } from './scoring/continuations';
export type { TrainableLanguageModel } from './model/trainable-language-model';
export {
  createSeq2SeqContinuationBatch,
  scoreSeq2SeqContinuations,
  scoreSeq2SeqTokens,
  Seq2SeqContinuationBatch,
} from './scoring/seq2seq-continuations';
export { LoraBase, loraParts } from './lora/lora-model';
export { LoraAdapter } from './lora/lora-adapter';
export { loraScale, type LoraSettings } from './lora/lora-settings';
export { allLinear } from './lora/lora-targets';
export type { LoraSite } from './lora/lora-site';
export { adapterOf, loadPeftAdapter, savePeftAdapter } from './lora/peft-files';
export { adapterConfigFile, adapterWeightsFile } from './lora/peft-config';
export { isPeftAdapterDir, peftBaseModel, withPeftAdapter } from './lora/adapter-folder';
export { loadFrozenModel, SHARED_BASES, SharedBases } from './lora/shared-bases';
