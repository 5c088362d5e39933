// jest globalTeardown of the e2e project: stops the run's operator (the current processes, after restarts).
export default async function globalTeardown(): Promise<void> {
  await globalThis.openvoxOperator?.stop();
}
