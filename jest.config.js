// @swc/jest strips types without type-checking: `npm test` runs `tsc --noEmit` once instead of per file,
// which is what keeps a cold run in seconds rather than ts-jest's tens of seconds.
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
module.exports = {
  testEnvironment: 'node',
  // jest's default is one worker fewer than the cores, which on a 2-core machine means every file runs in one
  // process, one after the other. The main process mostly waits, so use every core.
  maxWorkers: '100%',
  testTimeout: 30_000,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/helpers/no-cloud-metadata.ts'],
  // Synthesizes the template-test variants once per run (see test/helpers/test-variants.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
};
