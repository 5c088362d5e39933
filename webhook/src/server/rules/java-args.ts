// Rule 8 (heap sizes in javaArgs) and the warning for a heap too close to the memory limit.
import { child, invalid, verdict, type Rule } from './types.js';
import { heapFlags, parseJvmSize, parseQuantity } from '../quantity.js';
import type { StatusCause } from '../../admission/review.js';

export const HEAP_LIMIT_RATIO = 0.9;

export const javaArgsRule: Rule = ({ spec }) => {
  if (typeof spec.javaArgs !== 'string') return verdict();
  const { xms, xmx } = heapFlags(spec.javaArgs);
  const causes: StatusCause[] = [];
  const warnings: string[] = [];
  const sizes: Partial<Record<'xms' | 'xmx', number>> = {};
  for (const [flag, raw] of [
    ['xms', xms],
    ['xmx', xmx],
  ] as const) {
    if (raw === undefined) continue;
    const parsed = parseJvmSize(raw);
    const name = flag === 'xms' ? '-Xms' : '-Xmx';
    if (parsed.ok) sizes[flag] = parsed.value;
    else causes.push(invalid('spec.javaArgs', spec.javaArgs, `${name}${raw}: the size ${parsed.error}`));
  }
  if (sizes.xms !== undefined && sizes.xmx !== undefined && sizes.xms > sizes.xmx) {
    causes.push(invalid('spec.javaArgs', spec.javaArgs, `-Xms${xms} must not be larger than -Xmx${xmx}`));
  }
  const limit = child(child(spec, 'resources') ?? {}, 'limits')?.memory;
  const limitBytes = limit === undefined ? undefined : parseQuantity(limit);
  if (
    sizes.xmx !== undefined &&
    limitBytes?.ok &&
    limitBytes.value > 0 &&
    sizes.xmx > HEAP_LIMIT_RATIO * limitBytes.value
  ) {
    warnings.push(
      `spec.javaArgs: -Xmx${xmx} is above 90% of the memory limit ${String(limit)}; the JVM may be OOM-killed under load`,
    );
  }
  return verdict(causes, warnings);
};
