// Node side of s3db-go's encoding benchmark: how long s3db.js 21.6.2 takes, in one process and without S3, to
//   (a) "map+split":   Schema.mapper (attribute → short key, value encodings) + body-overflow handleInsert
//                      (metadata/body split), and
//   (b) "join+unmap":  body-overflow handleGet (merge body under metadata) + Schema.unmapper,
// for the typical 15-field record of record15.json (the same file feeds the Go benchmark).
// Client-level metadata text encoding (u:/b:/d:, done by the S3 client) and validation are not included.
//   ../../../shared/tools/s3dbjs/run.sh bench/js/encode.mjs [ITERATIONS]     (from the repo root)
// Prints one JSON line per operation: {"op":"map+split","ns_per_op":…,"iterations":…}.
import { readFile } from "node:fs/promises";
import { Schema, getBehavior } from "s3db.js";

const fixture = JSON.parse(await readFile(new URL("./record15.json", import.meta.url), "utf8"));
const iterations = Number.parseInt(process.argv[2] ?? "200000", 10);
const warmup = Math.min(20000, Math.max(1000, Math.floor(iterations / 10)));

const schema = new Schema({ name: "bench", attributes: fixture.attributes, version: "v1" });
const behavior = getBehavior(fixture.behavior);
// The behavior handlers only read these fields of a Resource.
const resource = { version: "v1", config: { timestamps: false }, schema };

async function mapSplit(record) {
  const mapped = await schema.mapper(record);
  mapped._v = "v1";
  return behavior.handleInsert({ resource, data: record, mappedData: mapped, originalData: record });
}

async function joinUnmap(metadata, body) {
  const { metadata: merged } = await behavior.handleGet({ resource, metadata, body });
  return schema.unmapper(merged);
}

async function timeOp(name, fn) {
  for (let i = 0; i < warmup; i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  process.stdout.write(JSON.stringify({ op: name, ns_per_op: Math.round(ns), iterations }) + "\n");
}

const record = fixture.record;
const split = await mapSplit(record);
// Sanity: the round trip gives the record back (keys in any order).
const back = await joinUnmap(split.mappedData, split.body);
const canon = (o) => JSON.stringify(o, Object.keys(flat(o)).sort());
function flat(o, p = "", out = {}) {
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === "object" && !Array.isArray(v)) flat(v, p + k + ".", out);
    out[p + k] = true;
  }
  return out;
}
if (canon(back) !== canon(record)) {
  console.error("round trip mismatch:\n" + JSON.stringify(record) + "\n" + JSON.stringify(back));
  process.exit(1);
}
if (process.env.BENCH_SHOW) console.error(JSON.stringify({ metadata: split.mappedData, body: split.body }, null, 2));

await timeOp("map+split", () => mapSplit(record));
await timeOp("join+unmap", () => joinUnmap(split.mappedData, split.body));
