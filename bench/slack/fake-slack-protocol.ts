/** Messages between the benchmark and its fake Slack process (Node IPC). */

/**
 * Every Web API method the app can call, plus `response_url` (where the benchmark's requests point
 * their response URL). Anything else is counted as `other`.
 */
export const WEB_API_METHODS = [
  "auth.test",
  "chat.postMessage",
  "chat.update",
  "chat.delete",
  "chat.postEphemeral",
  "chat.getPermalink",
  "conversations.info",
  "views.open",
  "views.update",
  "views.push",
  "response_url",
] as const;

export type FakeRequest = { type: "counts"; id: number } | { type: "close" };

export type FakeReply = { type: "ready"; url: string } | ({ type: "counts"; id: number } & CallCounts);

export interface CallCounts {
  total: number;
  byMethod: Record<string, number>;
  /** When the latest call arrived, as epoch ms (performance.timeOrigin + performance.now()). */
  lastCallAt: number | null;
}

/** Epoch milliseconds with sub-millisecond resolution, comparable between processes. */
export const epochMs = () => performance.timeOrigin + performance.now();
