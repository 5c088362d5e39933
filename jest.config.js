// Three projects: `unit` (fast, no cluster), `e2e` and `e2e-exclusive` (the local cluster: test/scripts/test.sh).
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

/**
 * End-to-end files that change what every other file relies on, so they run alone, after the others
 * (test/scripts/test.sh): the others run two at a time.
 */
const EXCLUSIVE = [
  // They freeze (SIGSTOP) or restart the run's controller, so nothing else would reconcile meanwhile.
  'e2e/chart-pods.test.ts',
  'e2e/chart-scope.test.ts',
  'chaos/controller-restart.test.ts',
  'chaos/leader-failover.test.ts',
  'chaos/leader-partition.test.ts',
  // They stop the API server or etcd.
  'chaos/control-plane-outage.test.ts',
  'chaos/watch-gap.test.ts',
  // A second operator (`npm start`) with a Lease of its own, reconciling every namespace while it runs.
  'e2e/start-screen.test.ts',
  // 10,000 requests at concurrency 20 to the run's webhook, and a heap figure another file's load would blur.
  'chaos/webhook-fuzz.test.ts',
];

const e2e = {
  ...common,
  // Compiled by `npm run build`: the operator runner is the same code `npm start` uses.
  globalSetup: '<rootDir>/test/dist/e2e-support/global-setup.js',
  globalTeardown: '<rootDir>/test/dist/e2e-support/global-teardown.js',
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
      ...e2e,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/chaos/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...EXCLUSIVE.map((file) => `/test/${file.replace(/\./g, '\\.')}$`)],
    },
    { ...e2e, displayName: 'e2e-exclusive', testMatch: EXCLUSIVE.map((file) => `<rootDir>/test/${file}`) },
  ],
};
