// From what a user asked (spec.desiredState) and what the CA Server has (its state for the certname) to
// the next step: nothing to do, one CA API call, waiting, a refusal with its reason, or forgetting the
// object. Pure; the reconciler does the call and reports the outcome.
import type { CaState } from './observe.js';

export type DesiredState = 'signed' | 'revoked' | 'cleaned';
export type Action = 'sign' | 'revoke' | 'clean';

export type Step =
  /** Desired state reached, or only observing. */
  | { kind: 'done'; message: string }
  | { kind: 'act'; action: Action }
  /** Not reached yet, through nobody's fault (a pre-approved certname whose request has not arrived). */
  | { kind: 'wait'; reason: string; message: string }
  /** Cannot be reached as asked: Ready False and a Warning Event. */
  | { kind: 'refuse'; reason: string; message: string }
  /** The object has nothing left to show: delete it (cleaned, or a mirror of a certname the CA forgot). */
  | { kind: 'forget' };

export function nextStep(
  desired: DesiredState | undefined,
  state: CaState | undefined,
  certname: string,
  /** Made by the operator as a mirror (not by a user). */
  mirror: boolean,
): Step {
  const none = `the CA Server has no request or certificate for ${certname}`;
  switch (desired) {
    case undefined:
      if (state) return { kind: 'done', message: `Observing: ${state} on the CA Server` };
      return mirror ? { kind: 'forget' } : { kind: 'wait', reason: 'NotOnCAServer', message: none };
    case 'signed':
      if (state === 'requested') return { kind: 'act', action: 'sign' };
      if (state === 'signed') return { kind: 'done', message: 'Signed' };
      if (state === 'revoked')
        return {
          kind: 'refuse',
          reason: 'RevokedCannotBeSigned',
          message: `the certificate of ${certname} is revoked and cannot be signed again: set desiredState cleaned, then sign the agent's next request`,
        };
      return {
        kind: 'wait',
        reason: 'WaitingForRequest',
        message: `${none} yet: its request is signed when it arrives`,
      };
    case 'revoked':
      if (state === 'signed') return { kind: 'act', action: 'revoke' };
      if (state === 'revoked') return { kind: 'done', message: 'Revoked' };
      if (state === 'requested')
        return {
          kind: 'refuse',
          reason: 'NotSigned',
          message: `${certname} has a pending request and no certificate to revoke: set desiredState cleaned to delete the request`,
        };
      return { kind: 'refuse', reason: 'UnknownCertname', message: `cannot revoke: ${none}` };
    case 'cleaned':
      return state ? { kind: 'act', action: 'clean' } : { kind: 'forget' };
  }
}

/** What an action leaves on the CA Server when it succeeded. */
export const ACTION_RESULT: Record<Action, CaState | undefined> = {
  sign: 'signed',
  revoke: 'revoked',
  clean: undefined,
};

export const ACTION_EVENT: Record<Action, string> = { sign: 'Signed', revoke: 'Revoked', clean: 'Cleaned' };
