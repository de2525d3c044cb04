/**
 * `ack`, then a pause that lets requests already waiting be read (and acknowledged) before this
 * one's store writes and Slack calls: Slack's 3-second limit applies to the ack, while the work after
 * it can wait a moment. Under a burst of clicks or commands this keeps the ack latency from growing
 * with the work queued behind it. Every button (the dispatcher) and the slash command go through it.
 */
export function acksFirst<Ack extends (...response: never[]) => Promise<void>>(ack: Ack): Ack {
  return (async (...response: Parameters<Ack>) => {
    await ack(...response);
    await new Promise((resolve) => setImmediate(resolve));
  }) as Ack;
}
