// @swc/jest strips types without type-checking: `npm test` runs `tsc --noEmit` once instead of per file,
// which is what keeps a cold run in seconds rather than ts-jest's tens of seconds.
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/helpers/no-cloud-metadata.ts'],
  // Synthesizes the template-test variants once per run (see test/helpers/test-variants.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
};
