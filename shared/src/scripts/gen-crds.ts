// Writes charts/openvox-operator/crds/<plural>.yaml from the schemas. `npm run gen:crds`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { KINDS } from '../api/kinds.js';
import { renderCrdFiles, CRD_DIR } from '../crd-files.js';

mkdirSync(CRD_DIR, { recursive: true });
for (const [path, text] of renderCrdFiles(KINDS)) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
