import type { HubFilesV1, LoggerV1 } from '@rlgf/contracts';
import type { ArchitectureRegistry, ModelArchitecture } from '@rlgf/models';
import type { DependencyContainer } from 'tsyringe';

/** What the composition root hands a run: its container (plugins registered) and collaborators. */
export interface RunEnvironment {
  readonly container: DependencyContainer;
  readonly hub: HubFilesV1;
  readonly logger: LoggerV1;
  /** Where converted models and other derived artifacts are cached between runs. */
  readonly cacheDir: string;
  readonly cwd: string;
  /** Whether the progress output is a terminal (bar) or not (lines). */
  readonly isTty: boolean;
  readonly writeProgress: (text: string) => void;
  /** The model families the run's loaders resolve (`modelRegistryWith(extra)`); default: the built-in ones. */
  readonly modelRegistry?: ArchitectureRegistry<ModelArchitecture>;
}
