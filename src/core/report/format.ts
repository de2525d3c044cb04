/** Text helpers shared by App Home and the terminal report: bars, percentages, durations. */

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A horizontal bar `width` characters long at `max`, in eighths of a character. */
export function bar(value: number, max: number, width = 20): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** "25%" (whole percent), or "–" when there is nothing to divide. */
export function percent(rate: number | null): string {
  return rate === null ? "–" : `${Math.round(rate * 100)}%`;
}

/** "45 min", "3.5 h", "2.1 d" — or "–". */
export function duration(ms: number | null): string {
  if (ms === null) return "–";
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 36) return `${round1(hours)} h`;
  return `${round1(hours / 24)} d`;
}

/** "12 min ago"-style age from `from` to `now`. */
export function age(from: string, now: Date): string {
  return duration(Math.max(0, now.getTime() - Date.parse(from)));
}

const round1 = (n: number) => String(Math.round(n * 10) / 10);

/** "label  ████▍ 12" lines, labels padded and bars scaled to the largest value (monospace text). */
export function barLines(rows: readonly { label: string; value: number }[], width = 20): string[] {
  const max = Math.max(0, ...rows.map((r) => r.value));
  const pad = Math.max(0, ...rows.map((r) => r.label.length));
  return rows.map((r) => `${r.label.padEnd(pad)}  ${bar(r.value, max, width).padEnd(width)} ${r.value}`);
}
