// Names of the objects a Config owns: Server pods mount its ConfigMap, so the name lives in contracts/names.ts.
export { configMapName } from '../contracts/names.js';
