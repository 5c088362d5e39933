// Rule 10: the code volume comes from exactly one of an image and a PersistentVolumeClaim.
import { child, forbidden, isSet, required, verdict, type Rule } from './types.js';

export const codeRule: Rule = ({ spec }) => {
  const code = child(spec, 'code');
  if (!code) return verdict();
  const image = isSet(code.image);
  const claim = isSet(code.claimName);
  if (image && claim) {
    return verdict([
      forbidden(
        'spec.code',
        'image and claimName are mutually exclusive: set exactly one of spec.code.image and spec.code.claimName',
      ),
    ]);
  }
  if (!image && !claim) {
    return verdict([required('spec.code', 'set exactly one of spec.code.image and spec.code.claimName')]);
  }
  return verdict();
};
