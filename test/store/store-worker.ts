// A second (or third) process for the store contract tests: opens the store its environment names
// (openStore: REDIS_URL or DATABASE_URL), says "ready", waits for "go" on stdin so that all workers
// start together, does its job and prints the result as JSON.
//   cas <conversation id> <count>      increments surface.counter with compare-and-set, retrying
//   claim <token prefix> <count>       claims <prefix>0..<count-1>; prints the indexes it won
//   mark-posted <name> <id,id,...>     marks each escalation posted with ts "<name>-<id>"; prints the ids it won
import { createInterface } from "node:readline";
import { openStore } from "../../src/store/open.js";

const [job, first, second] = process.argv.slice(2);
if (!job || !first || !second) throw new Error("usage: store-worker.ts cas|claim|mark-posted <arg> <arg>");
const store = await openStore(process.env);
process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) if (line === "go") break;

let result: unknown;
if (job === "cas") {
  let conflicts = 0;
  for (let i = 0; i < Number(second); i++) {
    for (;;) {
      const current = await store.get(first);
      if (!current) throw new Error("conversation missing");
      const counter = Number(current.surface.counter ?? 0);
      const update = await store.update(first, current.revision, { surface: { counter: counter + 1 } });
      if (update.ok) break;
      conflicts++;
    }
  }
  result = { conflicts };
} else if (job === "claim") {
  const won: number[] = [];
  for (let i = 0; i < Number(second); i++) if (await store.claim(`${first}${i}`, 60_000)) won.push(i);
  result = won;
} else if (job === "mark-posted") {
  const won: string[] = [];
  for (const id of second.split(","))
    if (await store.markEscalationPosted(id, `${first}-${id}`)) won.push(id);
  result = won;
} else {
  throw new Error(`unknown job ${job}`);
}
await store.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
