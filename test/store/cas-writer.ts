// A second process for the store tests: increments a counter held in a conversation's surface
// with compare-and-set, retrying on conflict. Usage: cas-writer.ts <db path> <conversation id> <count>
import { SqliteConversationStore } from "../../src/store/sqlite.js";

const [path, id, countText] = process.argv.slice(2);
if (!path || !id || !countText) throw new Error("usage: cas-writer.ts <db> <id> <count>");
const store = new SqliteConversationStore({ path, retentionDays: 1 });
let conflicts = 0;
for (let i = 0; i < Number(countText); i++) {
  for (;;) {
    const current = await store.get(id);
    if (!current) throw new Error("conversation missing");
    const counter = Number(current.surface.counter ?? 0);
    const result = await store.update(id, current.revision, { surface: { counter: counter + 1 } });
    if (result.ok) break;
    conflicts++;
  }
}
await store.close();
process.stdout.write(JSON.stringify({ conflicts }));
