// Rules 2 and 3: minAvailable and maxUnavailable exclude each other and are counts or percentages.
import { child, forbidden, invalid, verdict, INT32_MAX, type Rule } from './types.js';
import type { StatusCause } from '../../admission/review.js';

const PERCENT = /^([0-9]+)%$/;

/** Why an int-or-string budget value is wrong, or undefined when it is fine (or mistyped: the schema reports that). */
export function budgetProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    if (value < 0) return 'must be greater than or equal to 0';
    if (value > INT32_MAX) return `must be at most ${INT32_MAX}`;
    return undefined;
  }
  if (typeof value === 'string') {
    const match = PERCENT.exec(value);
    if (!match) return 'must be an integer or a percentage such as "50%"';
    if (Number(match[1]) > 100) return 'a percentage must be between 0% and 100%';
  }
  return undefined;
}

const present = (value: unknown): boolean => value !== undefined && value !== null;

export const pdbRule: Rule = ({ spec }) => {
  const pdb = child(spec, 'pdb');
  if (!pdb) return verdict();
  const causes: StatusCause[] = [];
  // Present, as the CRD's CEL rule counts it: an empty string is set (and rule 3 denies it too).
  if (present(pdb.minAvailable) && present(pdb.maxUnavailable)) {
    causes.push(
      forbidden(
        'spec.pdb',
        'minAvailable and maxUnavailable are mutually exclusive: set only one of spec.pdb.minAvailable and spec.pdb.maxUnavailable',
      ),
    );
  }
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    if (pdb[key] === undefined || pdb[key] === null) continue;
    const problem = budgetProblem(pdb[key]);
    if (problem) causes.push(invalid(`spec.pdb.${key}`, pdb[key], problem));
  }
  return verdict(causes);
};
