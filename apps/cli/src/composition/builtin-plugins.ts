import type { RlgfPluginV1 } from '@rlgf/contracts';

/**
 * The first-party plugins every run can use without naming them. This list is the composition
 * root's only knowledge of concrete plugins; a recipe adds others through its `plugins` field.
 */
export const builtinPlugins: readonly RlgfPluginV1[] = [];
