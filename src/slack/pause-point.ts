/**
 * Test-only: lets the fault-injection suite (test/faults) kill the server at a point nothing
 * outside the process can observe, such as "the form is saved, Slack is not answered yet". When
 * PORTAL_CHECK_PAUSE_AT names the point, the process writes `paused at <point>` to stderr and waits
 * there for good. Unset (always, outside those tests) it costs one comparison.
 */
export async function pausePoint(name: string): Promise<void> {
  if (process.env.PORTAL_CHECK_PAUSE_AT !== name) return;
  process.stderr.write(`portal-check: paused at ${name}\n`);
  await new Promise<never>(() => undefined);
}
