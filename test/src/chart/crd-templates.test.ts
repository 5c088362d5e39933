// The chart's CRD templates are generated from shared/ (npm run gen:crds) and must not drift.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KINDS, buildCrd } from '@openvox/shared';
import { renderCrdTemplateFiles } from '../../../shared/src/crd-files.js';

describe('chart CRD templates', () => {
  const files = renderCrdTemplateFiles(KINDS);

  it('match the committed templates/crds files (run `npm run gen:crds` after a schema change)', () => {
    expect(files.size).toBe(KINDS.length);
    for (const [path, text] of files) {
      expect({ path, text: readFileSync(path, 'utf8') }).toEqual({ path, text });
    }
  });

  it('wrap exactly the shared CRD, plus the keep policy, in the crds.enabled switch', () => {
    for (const [index, [, text]] of [...files].entries()) {
      const lines = text.trimEnd().split('\n');
      expect(lines[1]).toBe('{{- if .Values.crds.enabled }}');
      expect(lines.at(-1)).toBe('{{- end }}');
      const crd = parse(lines.slice(2, -1).join('\n'), { version: '1.1' });
      const expected = buildCrd(KINDS[index]!);
      expect(crd).toEqual({
        ...expected,
        metadata: { ...expected.metadata, annotations: { 'helm.sh/resource-policy': 'keep' } },
      });
    }
  });
});
