// Node side of s3db-go's store benchmark (store/bench_test.go, BenchmarkStore): the same operations on the
// same resource with s3db.js 21.6.2, against the S3 endpoint of $S3DB_CONNECTION (its bucket is created here
// and emptied and removed at the end, so give it a fresh one):
//   insert, get, update (score), list({limit: 100})   at concurrency 1 and 32 (a simple promise pool)
// Every HTTP request of s3db.js's AWS SDK client is counted by a middleware (retries included).
//   S3DB_CONNECTION=http://KEY:SECRET@127.0.0.1:7070/<fresh-bucket>/bench \
//     ../shared/tools/s3dbjs/run.sh bench/js/store.mjs [OPS] [LISTS]       (from the repo root)
// OPS iterations of insert/get/update (default 1000), LISTS of list (default 100), after a short warm-up.
// Prints one JSON line per operation: {"op":"get","conc":32,"ns_per_op":…,"req_per_op":…,"n":…,"requests":{…}}.
import { openDatabase, ensureBucket, rawS3 } from "s3dbjs-harness";
import { ListObjectsV2Command, DeleteObjectsCommand, DeleteBucketCommand } from "@aws-sdk/client-s3";

const ops = Number.parseInt(process.argv[2] ?? "1000", 10);
const lists = Number.parseInt(process.argv[3] ?? "100", 10);
const listRecords = 1000; // as in BenchmarkStore: listings run over at least this many records

await ensureBucket();
const db = await openDatabase();
const users = await db.createResource({
  name: "users",
  attributes: {
    name: "string", email: "email", city: "string|optional", age: "number|integer|optional",
    score: "number|optional", active: "boolean|optional", tags: "array|items:string|optional",
  },
});
const record = () => ({ name: "Ada Lovelace", email: "ada@example.com", city: "London", age: 36, score: 98.5,
  active: true, tags: ["math", "engine"] });

// Count the requests s3db.js sends: one deserialize-step pass per HTTP attempt.
const counts = new Map();
db.client.client.middlewareStack.add((next, context) => async (args) => {
  counts.set(context.commandName, (counts.get(context.commandName) ?? 0) + 1);
  return next(args);
}, { step: "deserialize", name: "benchRequestCounter" });

// run calls op(i) for i = 1..n, conc at a time, and returns ns per op.
async function run(conc, n, op) {
  let next = 0;
  const worker = async () => {
    for (let i = ++next; i <= n; i = ++next) await op(i);
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: conc }, worker));
  return Number(process.hrtime.bigint() - start) / n;
}

async function bench(name, conc, n, op) {
  await run(conc, Math.max(10, Math.floor(n / 20)), op); // warm-up (JIT, connections), not counted
  counts.clear();
  const ns = await run(conc, n, op);
  const requests = Object.fromEntries([...counts].map(([k, v]) => [k.replace(/Command$/, ""), v / n]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(JSON.stringify({ op: name, conc, ns_per_op: Math.round(ns), req_per_op: total / n, n, requests }) + "\n");
}

const pad = (i) => String(i).padStart(8, "0");
for (const conc of [1, 32]) {
  let insN = 0; // records c<conc>-u00000001.. written so far
  const id = (i) => `c${conc}-u${pad(i)}`;
  await bench("insert", conc, ops, () => users.insert({ id: id(++insN), ...record() }));
  await bench("get", conc, ops, (i) => users.get(id(1 + (i % insN))));
  await bench("update", conc, ops, (i) => users.update(id(1 + (i % insN)), { score: i }));
  while (insN < listRecords) {
    const batch = [];
    for (let k = 0; k < 32 && insN < listRecords; k++) batch.push(users.insert({ id: id(++insN), ...record() }));
    await Promise.all(batch);
  }
  await bench("list", conc, lists, async () => {
    const recs = await users.list({ limit: 100 });
    if (recs.length !== 100) throw new Error(`list returned ${recs.length} records, want 100`);
  });
}

await new Promise((r) => setTimeout(r, 200)); // s3db.js finishes some writes in setImmediate callbacks
await db.disconnect?.();

// Empty and remove the bucket.
const { client, bucket } = rawS3();
for (;;) {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
  if (keys.length === 0) break;
  await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
}
await client.send(new DeleteBucketCommand({ Bucket: bucket }));
client.destroy();
