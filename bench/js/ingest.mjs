// Node side of bench/ingest.sh: s3db.js 21.6.2 insertMany of the first ROWS rows of a JSONL file into a
// fresh bucket (the one of $S3DB_CONNECTION, created here), with the same resource definition as the Go side.
//   S3DB_CONNECTION=http://KEY:SECRET@127.0.0.1:7070/<fresh-bucket>/bench \
//     ../shared/tools/s3dbjs/run.sh bench/js/ingest.mjs FILE [ROWS] [CHUNK]      (from the repo root)
// insertMany is called on chunks of CHUNK rows (default 1000), one after the other: s3db.js runs each chunk
// through its own promise pool. Prints one JSON line: {"op":"insertMany","n":…,"seconds":…,"per_second":…,
// "failed":…}. The bucket is left behind (the script that made it removes it).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { openDatabase, ensureBucket } from "s3dbjs-harness";

const file = process.argv[2];
const rows = Number.parseInt(process.argv[3] ?? "20000", 10);
const chunk = Number.parseInt(process.argv[4] ?? "1000", 10);
if (!file) throw new Error("usage: ingest.mjs FILE [ROWS] [CHUNK]");

const records = [];
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  records.push(JSON.parse(line));
  if (records.length >= rows) break;
}

await ensureBucket();
const db = await openDatabase();
const people = await db.createResource({
  name: "people",
  behavior: "body-overflow",
  attributes: {
    name: "string|required", email: "string", city: "string", age: "number", score: "number",
    active: "boolean", tags: "array|items:string", bio: "string",
  },
});

people.on?.("error", () => {}); // insertMany reports failed rows as events (counted below)
let failed = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < records.length; i += chunk) {
  const part = records.slice(i, i + chunk);
  const res = await people.insertMany(part);
  failed += part.length - (Array.isArray(res) ? res.length : 0);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await new Promise((r) => setTimeout(r, 200)); // s3db.js finishes some writes in setImmediate callbacks
process.stdout.write(JSON.stringify({ op: "insertMany", n: records.length, seconds, per_second: records.length / seconds,
  failed }) + "\n");
await db.disconnect?.();
