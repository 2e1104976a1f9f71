// Shared jest settings: TypeScript through swc (fast, no type-check: `typecheck` does that),
// ESM-only dependencies transformed to CommonJS so jest can load them without VM modules.
const esmOnlyPackages = ['hyparquet', 'hyparquet-compressors', 'hyparquet-writer', 'hysnappy', '@huggingface'].join('|');

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__fixtures__/'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 60_000,
};
