import type { CommandFactory } from '../command-kit';
import { convertCommand } from './convert';
import { datasetsCommand } from './datasets';
import { evalCommand } from './eval';
import { generateCommand } from './generate';
import { mergeCommand } from './merge';
import { pluginsCommand } from './plugins';
import { scoreCommand } from './score';
import { serveCommand } from './serve';
import { sftCommand } from './sft';
import { trainCommand } from './train';
import { trainRewardCommand } from './train-reward';

/** Every top-level command, in the order `rlgf --help` lists them. */
export const commands: readonly CommandFactory[] = [trainCommand, trainRewardCommand, sftCommand, evalCommand, generateCommand, serveCommand, scoreCommand, pluginsCommand, datasetsCommand, convertCommand, mergeCommand];
