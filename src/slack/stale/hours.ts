/** "24 hours", "1 hour", "30 minutes": a STALE_* setting as the requester reads it. */
export function formatHours(hours: number): string {
  if (hours >= 1) {
    const whole = Math.round(hours);
    return `${whole} hour${whole === 1 ? "" : "s"}`;
  }
  const minutes = Math.max(1, Math.round(hours * 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
