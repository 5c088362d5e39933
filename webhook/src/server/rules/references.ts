// Rule 1: configRef and certificateRef are required DNS-1123 subdomain names.
import { invalid, required, verdict, type Rule } from './types.js';
import { SUBDOMAIN_RULE, isDnsSubdomain } from './names.js';
import type { StatusCause } from '../../admission/review.js';

const REFS = [
  ['configRef', 'the name of a Config in the same namespace'],
  ['certificateRef', 'the name of a Certificate in the same namespace'],
] as const;

export const referencesRule: Rule = ({ spec }) => {
  const causes: StatusCause[] = [];
  for (const [key, what] of REFS) {
    const value = spec[key];
    const field = `spec.${key}`;
    if (value === undefined || value === null || value === '')
      causes.push(required(field, `${key} must be set to ${what}`));
    else if (typeof value === 'string' && !isDnsSubdomain(value)) causes.push(invalid(field, value, SUBDOMAIN_RULE));
  }
  return verdict(causes);
};
