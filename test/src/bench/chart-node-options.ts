// The Node flags a component runs with when installed by the chart with its default values (the heap
// limits it derives from the container's memory limit), so a benchmark measures the process as deployed.
import { render } from '../chart/render.js';

export function chartNodeFlags(deployment: 'controller' | 'webhook'): string[] {
  const manifest = render();
  const object = manifest.objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith(`-${deployment}`));
  if (!object) throw new Error(`the chart renders no ${deployment} Deployment`);
  const env = (object.spec.template.spec.containers[0].env ?? []) as { name: string; value?: string }[];
  return (env.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '').split(' ').filter(Boolean);
}
