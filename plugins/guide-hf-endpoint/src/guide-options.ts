import { callOptionsShape, endpointUrlSchema, modelNameSchema, tokenReferenceSchema } from '@rlgf/resilience';
import { z } from 'zod';
import { resolveToken, type TokenSource } from './token';

/** What TGI expects in `model` for its base model (other names select LoRA adapters). */
export const defaultModel = 'tgi';

/** The options of the `hf-endpoint` guide; the core validates them (unknown ones are errors) and `rlgf plugins --options` shows them. */
export const hfEndpointGuideOptions = z.strictObject({
  endpointUrl: endpointUrlSchema(
    'base URL of the server: an Inference Endpoint, TGI or vLLM; requests go to <endpointUrl>/v1/completions (a URL already ending in /v1 or /v1/completions is used as is)',
    'e.g. https://xyz.endpoints.huggingface.cloud or http://gpu-box:8000 (vLLM), http://gpu-box:8080 (TGI)',
  ),
  model: modelNameSchema('model name sent in each request: vLLM needs one of its --served-model-name values; TGI reads any name but "tgi" as a LoRA adapter id').default(defaultModel),
  token: tokenReferenceSchema('bearer token: { env: "NAME" } reads $NAME, a string is the token itself, null sends none (default: $HF_TOKEN when set); never logged'),
  topP: z.number().gt(0).max(1).default(0.92).describe("nucleus sampling p in (0, 1]; 1 sends no top_p, as TGI refuses 1 (the default is the authors' guide)"),
  temperature: z.number().min(0).default(1).describe('sampling temperature; 0 asks TGI and vLLM for greedy decoding'),
  maxNewTokens: z.number().int().min(1).optional().describe("cap on new tokens per request, in the guide's tokens, applied on top of the trainer's budget (default: no cap)"),
  ...callOptionsShape,
});

export type OnUnavailable = 'fallback' | 'fail';

export interface GuideOptions extends Omit<z.output<typeof hfEndpointGuideOptions>, 'token'> {
  readonly token?: string;
  readonly tokenSource: TokenSource;
}

/** The guide's settings from its validated options, with the token read from the environment. */
export function resolveGuideOptions(options: z.output<typeof hfEndpointGuideOptions>, env: Readonly<Record<string, string | undefined>>): GuideOptions {
  const { token, source } = resolveToken(options.token, env);
  return { ...options, token, tokenSource: source };
}
