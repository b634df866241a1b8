// @swc/jest strips types without type-checking: `npm test` type-checks once (`tsgo --noEmit`) instead of per file,
// which is what keeps a cold run in seconds rather than ts-jest's tens of seconds.
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
module.exports = {
  testEnvironment: 'node',
  // jest's default is one worker fewer than the cores, which on a 2-core machine means every file runs in one
  // process, one after the other. The main process mostly waits, so use every core.
  // With a worker per core, V8's background GC and optimizing-compiler threads only take time from the other
  // workers, and most test code runs once, so optimizing it does not pay back: `npm test` starts jest with
  // --single-threaded-gc --no-turbofan (package.json "test:jest"), which the workers inherit. Measured with
  // `npm run bench`: about a quarter less CPU and wall time for the suite.
  maxWorkers: '100%',
  // A hang guard, not a timing assertion: the first synth in a test file starts CDK's validation engine, which on a
  // busy 2-core machine can take several seconds.
  testTimeout: 30_000,
  testSequencer: '<rootDir>/test/helpers/test-sequencer.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/helpers/no-cloud-metadata.ts'],
  // Synthesizes the template-test variants once per run (see test/helpers/test-variants.ts).
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
};
