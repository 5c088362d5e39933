import { existsSync, readFileSync } from 'node:fs';
import type { OperatorState } from '../operator/operator.js';
import { stopReplacedController } from './operator-control.js';

export default async function globalTeardown(): Promise<void> {
  const operator = globalThis.openvoxOperator;
  if (!operator) return;
  await operator.stop();
  // A fault test may have replaced the controller process; stop that one too.
  const path = process.env.OPENVOX_OPERATOR_STATE;
  if (path && existsSync(path)) {
    stopReplacedController(JSON.parse(readFileSync(path, 'utf8')) as OperatorState, operator.pids.controller);
  }
}
