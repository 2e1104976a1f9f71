import { RlgfError, isRlgfErrorNamed } from './rlgf-error';

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** A CLI argument, component option or function argument has a wrong value. */
export class InvalidArgumentError extends RlgfError {
  static readonly errorName = 'RLGF_InvalidArgumentError';
  static override readonly isInstance = isRlgfErrorNamed<InvalidArgumentError>(InvalidArgumentError.errorName);
  readonly argument: string;
  constructor(options: { argument: string; value?: unknown; expected: string; hint?: string }) {
    const got = 'value' in options ? ` got ${quote(options.value)},` : '';
    super({
      name: InvalidArgumentError.errorName,
      message: `${options.argument}:${got} expected ${options.expected}`,
      hint: options.hint,
    });
    this.argument = options.argument;
  }
}

/** A recipe field is missing, mistyped or inconsistent with another field. */
export class RecipeError extends RlgfError {
  static readonly errorName = 'RLGF_RecipeError';
  static override readonly isInstance = isRlgfErrorNamed<RecipeError>(RecipeError.errorName);
  readonly issues: readonly { path: string; message: string }[];
  constructor(options: { source: string; issues: readonly { path: string; message: string }[]; hint?: string }) {
    const listed = options.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
    super({ name: RecipeError.errorName, message: `invalid recipe ${options.source}: ${listed}`, hint: options.hint });
    this.issues = options.issues;
  }
}

/** A recipe or command names a task, guide, reward, metric or plugin that is not registered. */
export class UnknownComponentError extends RlgfError {
  static readonly errorName = 'RLGF_UnknownComponentError';
  static override readonly isInstance = isRlgfErrorNamed<UnknownComponentError>(UnknownComponentError.errorName);
  constructor(options: { kind: string; id: string; known: readonly string[] }) {
    const known = options.known.length > 0 ? [...options.known].sort().join(', ') : '(none registered)';
    super({
      name: UnknownComponentError.errorName,
      message: `unknown ${options.kind} "${options.id}"; known ${options.kind}s: ${known}`,
      hint: 'check the spelling, or add the plugin that provides it to the recipe\'s `plugins` list',
    });
  }
}

/** A plugin module could not be imported or does not export a valid plugin object. */
export class PluginLoadError extends RlgfError {
  static readonly errorName = 'RLGF_PluginLoadError';
  static override readonly isInstance = isRlgfErrorNamed<PluginLoadError>(PluginLoadError.errorName);
  constructor(options: { plugin: string; reason: string; hint?: string; cause?: unknown }) {
    super({
      name: PluginLoadError.errorName,
      message: `cannot load plugin ${options.plugin}: ${options.reason}`,
      hint: options.hint,
      cause: options.cause,
    });
  }
}

/** A Hub file or repository could not be found, downloaded or read from the cache or mirror. */
export class HubError extends RlgfError {
  static readonly errorName = 'RLGF_HubError';
  static override readonly isInstance = isRlgfErrorNamed<HubError>(HubError.errorName);
  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ name: HubError.errorName, ...options });
  }
}

/** A dataset is missing columns, a split does not exist, or a split spec is malformed. */
export class DatasetError extends RlgfError {
  static readonly errorName = 'RLGF_DatasetError';
  static override readonly isInstance = isRlgfErrorNamed<DatasetError>(DatasetError.errorName);
  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ name: DatasetError.errorName, ...options });
  }
}

/** A model file (config, weights, tokenizer) is malformed, unsupported or hostile. */
export class ModelFormatError extends RlgfError {
  static readonly errorName = 'RLGF_ModelFormatError';
  static override readonly isInstance = isRlgfErrorNamed<ModelFormatError>(ModelFormatError.errorName);
  constructor(options: { file: string; message: string; hint?: string; cause?: unknown }) {
    super({ name: ModelFormatError.errorName, message: `${options.file}: ${options.message}`, hint: options.hint, cause: options.cause });
  }
}

/** A checkpoint is missing, incomplete or corrupt. */
export class CheckpointError extends RlgfError {
  static readonly errorName = 'RLGF_CheckpointError';
  static override readonly isInstance = isRlgfErrorNamed<CheckpointError>(CheckpointError.errorName);
  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ name: CheckpointError.errorName, ...options });
  }
}

/** The guide (local or remote) could not serve a request, after retries. */
export class GuideUnavailableError extends RlgfError {
  static readonly errorName = 'RLGF_GuideUnavailableError';
  static override readonly isInstance = isRlgfErrorNamed<GuideUnavailableError>(GuideUnavailableError.errorName);
  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ name: GuideUnavailableError.errorName, ...options });
  }
}

/** A remote scorer (an HTTP reward model, an LLM judge) could not answer, after retries. */
export class EndpointUnavailableError extends RlgfError {
  static readonly errorName = 'RLGF_EndpointUnavailableError';
  static override readonly isInstance = isRlgfErrorNamed<EndpointUnavailableError>(EndpointUnavailableError.errorName);
  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ name: EndpointUnavailableError.errorName, ...options });
  }
}

/** NaN or Inf appeared in a training quantity; the update was stopped. */
export class NumericalError extends RlgfError {
  static readonly errorName = 'RLGF_NumericalError';
  static override readonly isInstance = isRlgfErrorNamed<NumericalError>(NumericalError.errorName);
  readonly iteration: number;
  readonly quantity: string;
  constructor(options: { iteration: number; quantity: string; value: number; hint?: string }) {
    super({
      name: NumericalError.errorName,
      message: `non-finite ${options.quantity} (${options.value}) at iteration ${options.iteration}; the update was not applied`,
      hint: options.hint ?? 'lower the learning rate or the KL coefficient; the last good checkpoint is kept',
    });
    this.iteration = options.iteration;
    this.quantity = options.quantity;
  }
}

/** The requested TensorFlow.js backend is not installed or failed to initialise. */
export class BackendError extends RlgfError {
  static readonly errorName = 'RLGF_BackendError';
  static override readonly isInstance = isRlgfErrorNamed<BackendError>(BackendError.errorName);
  constructor(options: { backend: string; message: string; hint?: string; cause?: unknown }) {
    super({ name: BackendError.errorName, message: `backend "${options.backend}": ${options.message}`, hint: options.hint, cause: options.cause });
  }
}
