// @swc/jest strips types without type-checking: `npm test` runs `tsc --noEmit` once instead of per file,
// which is what keeps a cold run in seconds rather than ts-jest's tens of seconds.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
