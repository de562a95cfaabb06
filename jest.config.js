// Jest 30 loads the ESM-only NestJS 12 packages in native ESM mode only:
// `NODE_OPTIONS=--experimental-vm-modules` (see package.json) and ts-jest with `useESM`.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/lib', '<rootDir>/test', '<rootDir>/sample'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // Relative imports carry NodeNext's `.js` suffix; map them back to the `.ts` sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30000,
};
