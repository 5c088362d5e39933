// In-process cost of the pure handlers, without HTTP or TLS: the part of a request this project controls.
import {
  createSpecValidator,
  schemaRule,
  mutateOrDeny,
  noReferences,
  validate,
  applyServerDefaults,
} from '@openvox/webhook';
import { fullServer, serverReview } from '@openvox/webhook/testing';

export interface HandlerCost {
  mutateMicros: number;
  validateMicros: number;
}

function perCall(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(5000, iterations); i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations / 1000;
}

export function benchHandlers(iterations = 50_000): HandlerCost {
  const deps = { schemaRule: schemaRule(createSpecValidator()), references: noReferences };
  const toMutate = serverReview(fullServer());
  const toValidate = serverReview(applyServerDefaults(fullServer()));
  return {
    // The mutating endpoint validates first (mutate-or-deny.ts), so its cost includes a validation.
    mutateMicros: perCall(() => mutateOrDeny(toMutate, deps), iterations),
    validateMicros: perCall(() => validate(toValidate, deps), iterations),
  };
}

export function formatHandlerCost(cost: HandlerCost): string {
  return `handlers in-process (no HTTP/TLS): mutate ${cost.mutateMicros.toFixed(1)} µs/call, validate ${cost.validateMicros.toFixed(1)} µs/call`;
}
