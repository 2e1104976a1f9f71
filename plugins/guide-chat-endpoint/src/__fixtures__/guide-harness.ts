import { HubError, type HubFilesV1, type LoggerV1 } from '@rlgf/contracts';
import { createComponentContext, createComponentWith, createRunContainer } from '@rlgf/core';
import { createVirtualClock, type VirtualClock } from '@rlgf/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEndpointGuide } from '../chat-endpoint-guide';
import { createChatEndpointGuideFactory, type ChatEndpointGuideFactorySettings } from '../plugin';

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
    throw new HubError({ message: 'the chat-endpoint guide reads no Hub files' });
  },
  listFiles: async () => [],
};

export interface TestGuide {
  readonly guide: ChatEndpointGuide;
  readonly lines: LogLine[];
  readonly clock: VirtualClock;
  /** The run cache directory the guide was given (its answer cache is under it unless `cacheDir` says otherwise). */
  readonly cacheDir: string;
}

/**
 * A `chat-endpoint` guide made by its factory with a run context, a capturing logger, a virtual
 * clock (backoff waits take no time), an empty environment unless `settings.env` says otherwise,
 * and a fresh cache directory unless `cacheDir` names one.
 */
export async function createTestGuide(
  options: Record<string, unknown>,
  settings: ChatEndpointGuideFactorySettings & { readonly cacheDir?: string } = {},
): Promise<TestGuide> {
  const { logger, lines } = capturingLogger();
  const clock = createVirtualClock();
  const factory = createChatEndpointGuideFactory({ env: {}, clock, ...settings });
  const cacheDir = settings.cacheDir ?? mkdtempSync(join(tmpdir(), 'rlgf-chat-guide-'));
  const context = createComponentContext({ container: createRunContainer(), hub: noHub, logger, seed: 7, cacheDir });
  const guide = (await createComponentWith(context, factory, options)) as ChatEndpointGuide;
  return { guide, lines, clock, cacheDir };
}
