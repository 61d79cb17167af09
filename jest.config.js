// Two projects: fast pure tests (unit) and tests against real NATS/PostgreSQL (integration).
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];
const moduleNameMapper = {
  '^@bci/shared$': '<rootDir>/shared/src/index.ts',
  '^@bci/shared/(.*)$': '<rootDir>/shared/src/$1',
  '^@bci/streams$': '<rootDir>/streams/src/index.ts',
  '^@bci/streams/(.*)$': '<rootDir>/streams/src/$1',
  '^@bci/db$': '<rootDir>/db/src/index.ts',
  '^@bci/devices$': '<rootDir>/devices/src/index.ts',
};
const common = { rootDir: __dirname, transform: { '^.+\\.(t|j)sx?$': swc }, moduleNameMapper, testEnvironment: 'node' };
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{shared,streams,db,server,devices}/src/**/*.test.ts', '<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/support/integration-setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/support/integration-setup.ts'],
    },
  ],
};
