// Two projects: `unit` (fast, no cluster) and `e2e` (needs the local control plane: test/scripts/test.sh).
const common = {
  testEnvironment: 'node',
  // The local cluster's data (etcd keeps *.snap files) is not part of the test tree.
  modulePathIgnorePatterns: ['<rootDir>/.cluster/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@openvox/shared$': '<rootDir>/shared/src/index.ts',
    '^@openvox/shared/testing$': '<rootDir>/shared/src/testing/index.ts',
    '^@openvox/shared/informer$': '<rootDir>/shared/src/informer.ts',
    '^@openvox/shared/logger$': '<rootDir>/shared/src/logger.ts',
    '^@openvox/webhook$': '<rootDir>/webhook/src/index.ts',
    '^@openvox/webhook/testing$': '<rootDir>/webhook/src/testing/index.ts',
    '^@openvox/controller$': '<rootDir>/controller/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }] },
};

export default {
  // Only a root-level option in jest 30; unit tests finish far below it.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{shared,webhook,controller}/src/**/*.test.ts', '<rootDir>/test/src/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/chaos/**/*.test.ts'],
      // Compiled by `npm run build`: the operator runner is the same code `npm start` uses.
      globalSetup: '<rootDir>/test/dist/e2e-support/global-setup.js',
      globalTeardown: '<rootDir>/test/dist/e2e-support/global-teardown.js',
    },
  ],
};
