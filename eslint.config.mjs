import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Which project types may depend on which (tag axis `type:`). Production code only; spec files
// may also use the testing package (see the override below).
const typeConstraints = [
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'], allowedExternalImports: ['tsyringe'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:contract', 'type:core'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contract', 'type:core', 'type:testing'] },
  // Plugins never import other plugins: they meet only through contracts and the container.
  { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['type:contract', 'type:core'] },
  // Apps are the only composition roots.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contract', 'type:core', 'type:plugin'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contract', 'type:core', 'type:plugin', 'type:testing', 'type:app'] },
];

// What each area may build on (tag axis `scope:`).
const scopeConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:model', onlyDependOnLibsWithTags: ['scope:shared', 'scope:model'] },
  { sourceTag: 'scope:task', onlyDependOnLibsWithTags: ['scope:shared', 'scope:task'] },
  { sourceTag: 'scope:metric', onlyDependOnLibsWithTags: ['scope:shared', 'scope:model', 'scope:metric'] },
  { sourceTag: 'scope:reward', onlyDependOnLibsWithTags: ['scope:shared', 'scope:model', 'scope:reward'] },
  { sourceTag: 'scope:guide', onlyDependOnLibsWithTags: ['scope:shared', 'scope:model', 'scope:guide'] },
  { sourceTag: 'scope:trainer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:model', 'scope:trainer'] },
  { sourceTag: 'scope:tracker', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tracker'] },
];

const boundaries = (constraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints },
];

const specFiles = ['**/*.spec.ts', '**/__fixtures__/**/*.ts'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/coverage/**', 'runs/**', '**/*.cjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries([...typeConstraints, ...scopeConstraints]),
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests may use the testing package and fixtures; they still may not import other plugins.
    // Task tests may load a real policy tokenizer, which lives in the model scope.
    files: specFiles,
    rules: {
      '@nx/enforce-module-boundaries': boundaries([
        ...typeConstraints.map((c) =>
          ['type:core', 'type:plugin', 'type:app'].includes(c.sourceTag)
            ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] }
            : c,
        ),
        ...scopeConstraints.map((c) =>
          c.sourceTag === 'scope:task' ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'scope:model'] } : c,
        ),
      ]),
    },
  },
  {
    // Contracts are types (plus error classes): any import from outside must be `import type`.
    files: ['packages/contracts/src/**/*.ts'],
    ignores: specFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^[^.]',
              allowTypeImports: true,
              message: 'contracts import no runtime library: use `import type`',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI and tools talk to the terminal on purpose.
    files: ['apps/**/*.ts', 'tools/**/*.ts', 'tools/**/*.mjs', '**/*.spec.ts'],
    rules: { 'no-console': 'off' },
  },
];
