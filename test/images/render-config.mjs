// node test/images/render-config.mjs OUT_DIR [CONFIG_YAML] [CA_YAML]
// Writes the `{config}-config` ConfigMap data the operator renders (controller/dist/config/render.js,
// renderConfigData) as one file per key into OUT_DIR: the files a Server pod mounts with subPath.
// Defaults: examples/config.yaml and examples/certificate-authority.yaml. Run `npm run build` first.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [
  out,
  configPath = join(repo, 'examples/config.yaml'),
  caPath = join(repo, 'examples/certificate-authority.yaml'),
] = process.argv.slice(2);
if (!out) throw new Error('usage: render-config.mjs OUT_DIR [CONFIG_YAML] [CA_YAML]');
const { renderConfigData } = await import(pathToFileURL(join(repo, 'controller/dist/config/render.js')).href);
const first = (path, kind) =>
  parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJSON())
    .find((o) => o?.kind === kind);
const config = first(configPath, 'Config');
const ca = first(caPath, 'CertificateAuthority');
const data = renderConfigData(config, ca);
mkdirSync(out, { recursive: true });
for (const [key, text] of Object.entries(data)) writeFileSync(join(out, key), text);
console.log(`rendered ${Object.keys(data).length} files of Config ${config.metadata.name} into ${out}`);
