// The baseline: csv-parse reading the same file with the options the validator gives it, and
// nothing else; prints the number of rows read. Plain JavaScript over the built module, so it
// starts like the built CLI it is compared with.
import { createReadStream } from "node:fs";
import { finished } from "node:stream/promises";
import { parse } from "csv-parse";
import { tableOptions } from "../../dist/core/rules/read-table.js";

let rows = 0;
const parser = createReadStream(process.argv[2], { highWaterMark: 1024 * 1024 }).pipe(
  parse(tableOptions(",")),
);
parser.on("data", () => {
  rows++;
});
await finished(parser);
process.stdout.write(`${rows}\n`);
