// Writes the chart's templates/crds/ and the plain copy deploy/crds/<plural>.yaml from the schemas. `npm run gen:crds`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KINDS } from '../api/kinds.js';
import { renderCrdFiles, renderCrdTemplateFiles } from '../crd-files.js';

for (const [path, text] of [...renderCrdFiles(KINDS), ...renderCrdTemplateFiles(KINDS)]) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
