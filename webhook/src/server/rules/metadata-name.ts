// Rule 11: the name becomes the Deployment, HPA and PDB names and a label value, so it must be a DNS-1123 label.
import { child, invalid, required, verdict, type Rule } from './types.js';
import { LABEL_RULE, LABEL_MAX, isDnsLabel } from './names.js';

// The API server appends 5 random characters to generateName and cuts the prefix to 58.
const GENERATED_SUFFIX = 'x0x0x';

export const metadataNameRule: Rule = ({ object }) => {
  const metadata = child(object, 'metadata') ?? {};
  const { name, generateName } = metadata;
  if (typeof name === 'string' && name !== '') {
    return isDnsLabel(name) ? verdict() : verdict([invalid('metadata.name', name, LABEL_RULE)]);
  }
  if (typeof generateName === 'string' && generateName !== '') {
    const generated = generateName.slice(0, LABEL_MAX - GENERATED_SUFFIX.length) + GENERATED_SUFFIX;
    return isDnsLabel(generated) ? verdict() : verdict([invalid('metadata.generateName', generateName, LABEL_RULE)]);
  }
  return verdict([required('metadata.name', 'name or generateName is required')]);
};
