// The chart's webhook configurations name the paths the webhook serves (shared/src/webhook-paths.ts).
// Helm cannot import them, so this test keeps the one copy the chart needs honest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUTATE_PATH, VALIDATE_PATH, validatePath } from '@openvox/shared';
import { REPO_ROOT } from '../cluster/paths.js';

const template = readFileSync(join(REPO_ROOT, 'charts/openvox-operator/templates/webhook-configurations.yaml'), 'utf8');

it.each([MUTATE_PATH, VALIDATE_PATH, validatePath('%s')])('names %s', (path) => {
  expect(template).toContain(`"${path}"`);
});
