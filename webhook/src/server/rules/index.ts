// Every Server rule, in the order of docs/admission.md; the schema rule is added by the caller.
import type { Rule } from './types.js';
import { referencesRule } from './references.js';
import { pdbRule } from './pdb.js';
import { autoscalingRule } from './autoscaling.js';
import { countsRule } from './counts.js';
import { caRule, rolesRule } from './roles.js';
import { javaArgsRule } from './java-args.js';
import { resourcesRule } from './resources.js';
import { poolRefsRule } from './pool-refs.js';
import { codeRule } from './code.js';
import { metadataNameRule } from './metadata-name.js';
import { pdbWarning } from './pdb-warning.js';
import { referenceWarnings } from './reference-warnings.js';

export const SERVER_RULES: readonly Rule[] = [
  referencesRule,
  pdbRule,
  autoscalingRule,
  countsRule,
  caRule,
  rolesRule,
  javaArgsRule,
  resourcesRule,
  poolRefsRule,
  codeRule,
  metadataNameRule,
  pdbWarning,
  referenceWarnings,
];

export type { Rule, RuleContext, Verdict } from './types.js';
export { schemaRule, createSpecValidator } from './schema.js';
