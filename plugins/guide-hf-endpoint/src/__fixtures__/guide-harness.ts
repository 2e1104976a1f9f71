import { HubError, type HubFilesV1, type LoggerV1 } from '@rlgf/contracts';
import { createComponentContext, createComponentWith, createRunContainer } from '@rlgf/core';
import { createVirtualClock, type VirtualClock } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import type { HfEndpointGuide } from '../hf-endpoint-guide';
import { createHfEndpointGuideFactory, type HfEndpointGuideFactorySettings } from '../plugin';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

/** A logger that keeps every line, at every level. */
export function capturingLogger(): { logger: LoggerV1; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string) => lines.push({ level, message });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const noHub: HubFilesV1 = {
  resolveFile: async () => {
    throw new HubError({ message: 'the hf-endpoint guide reads no Hub files' });
  },
  listFiles: async () => [],
};

export interface TestGuide {
  readonly guide: HfEndpointGuide;
  readonly lines: LogLine[];
  readonly clock: VirtualClock;
}

/**
 * An `hf-endpoint` guide made by its factory with a run context, a capturing logger, a virtual
 * clock (backoff waits take no time) and an empty environment unless `settings.env` says otherwise.
 */
export async function createTestGuide(options: Record<string, unknown>, settings: HfEndpointGuideFactorySettings = {}): Promise<TestGuide> {
  const { logger, lines } = capturingLogger();
  const clock = createVirtualClock();
  const factory = createHfEndpointGuideFactory({ env: {}, clock, ...settings });
  const context = createComponentContext({ container: createRunContainer(), hub: noHub, logger, seed: 7, cacheDir: tmpdir() });
  const guide = (await createComponentWith(context, factory, options)) as HfEndpointGuide;
  return { guide, lines, clock };
}
