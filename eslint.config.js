import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers of the controller (docs/architecture.md): kube/ is generic and knows no kind; contracts/
// holds what kinds share (pod layout, object names); each kind imports kube/, contracts/ and
// @openvox/shared, never another kind; app.ts, the composition root, wires them all.
const KINDS = [
  'server',
  'config',
  'certificate',
  'certificate-authority',
  'pool',
  'database',
  'signing-policy',
  'agent-certificate',
];
const ROOT_FILES = ['app', 'index', 'main', 'http', 'debug-http', 'settings'];
const up = (depth) => '\\.\\./'.repeat(depth);
const anyOf = (names) => `(${names.join('|')})`;

const TEST_FILES = ['**/*.test.ts', '**/*.test-helpers.ts'];
const NO_TEST_CODE = {
  regex: '\\.test(-helpers)?\\.js$|^@openvox/shared/testing$|/testing/',
  message: 'Production code never imports test code.',
};
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/**
 * Flat-config blocks per folder depth, so "../" always means the same folder. Tests follow the
 * layer rule too unless `tests: false` (a test may combine two kinds, as the composition root does).
 */
function layerRule(folder, forbidden, message, { tests = true } = {}) {
  return [1, 2, 3].flatMap((depth) => {
    const files = [`controller/src/${folder}/${'*/'.repeat(depth - 1)}*.ts`];
    const layer = [
      { regex: `^${up(depth)}${anyOf(forbidden.folders)}(/|$)`, message },
      { regex: `^${up(depth)}${anyOf(forbidden.files)}\\.js$`, message },
    ];
    return [
      { files, ignores: TEST_FILES, rules: restrict([...layer, NO_TEST_CODE]) },
      ...(tests
        ? [{ files: files.map((f) => f.replace(/\*\.ts$/, '*.test?(-helpers).ts')), rules: restrict(layer) }]
        : []),
    ];
  });
}

const layers = [
  ...layerRule(
    'kube',
    { folders: [...KINDS, 'contracts'], files: ROOT_FILES },
    'kube/ is generic: it imports no kind, no contracts/ and no composition-root file (docs/architecture.md).',
  ),
  ...layerRule(
    'contracts',
    { folders: KINDS, files: ROOT_FILES },
    'contracts/ is shared by the kinds and imports none of them (docs/architecture.md).',
  ),
  ...KINDS.map((kind) =>
    layerRule(
      kind,
      { folders: KINDS.filter((k) => k !== kind), files: ROOT_FILES },
      `A kind imports kube/, contracts/ and @openvox/shared, never another kind (move what ${kind}/ needs into contracts/; docs/architecture.md).`,
      { tests: false },
    ),
  ).flat(),
  {
    files: ['shared/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@openvox/(webhook|controller)$', message: 'shared/ is the bottom layer.' },
            NO_TEST_CODE,
          ],
        },
      ],
    },
  },
  {
    // Its own rule name, so it adds to the layer rules of these files instead of replacing them.
    files: ['controller/src/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@openvox/shared',
              allowTypeImports: true,
              message:
                'At run time the controller imports @openvox/shared/runtime: the root entry builds the API schemas and validators (~25 MiB of RSS).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webhook/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@openvox/controller$|controller/src/',
              message: 'The webhook does not depend on the controller.',
            },
            { regex: '\\.test(-helpers)?\\.js$', message: 'Production code never imports test code.' },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '.cluster/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  ...layers,
);
