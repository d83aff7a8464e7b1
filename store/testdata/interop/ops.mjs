// Runs a list of s3db.js 21.6.2 operations for store/interop_test.go and prints one JSON line per op.
//   S3DB_CONNECTION=... run.sh ops.mjs OPS.json
// OPS.json is an array of {op, ...}; each output line is {i, op, ok, ms, result} or {i, op, ok:false, ms, error}.
// Records are printed as get/update return them without "_" fields (system fields carry no data).
// Ops: create {name, behavior, timestamps, attributes, partitions} · insert {resource, record} ·
// get {resource, id} · getAll {resource} (listIds then get each, as {id: record}) · update {resource, id, patch} ·
// delete {resource, id} · count {resource, partition?, values?} · listIds {resource, partition?, values?} ·
// setContent {resource, id, base64, contentType} · content {resource, id} → {base64, contentType} ·
// hasContent {resource, id} · resources (names in s3db.json) · reconnect · waitUntil {at: epoch ms} · sleep {ms}.
import { readFileSync } from "node:fs";
import { ensureBucket, openDatabase, jsonReplacer } from "s3dbjs-harness";

const ops = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = (obj) => process.stdout.write(JSON.stringify(obj, jsonReplacer) + "\n");
const clean = (rec) => rec && Object.fromEntries(Object.entries(rec).filter(([k]) => !k.startsWith("_")));
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const part = (o) => (o.partition ? { partition: o.partition, partitionValues: o.values || {} } : {});

await ensureBucket();
let db = await openDatabase();
const res = (name) => db.resources[name] ?? (() => { throw new Error(`no resource ${name} in this connection`); })();

const run = {
  create: async (o) => (await db.createResource({ name: o.name, behavior: o.behavior, timestamps: !!o.timestamps,
    attributes: o.attributes, partitions: o.partitions || {} })).name,
  insert: async (o) => clean(await res(o.resource).insert(o.record)),
  get: async (o) => clean(await res(o.resource).get(o.id)),
  getAll: async (o) => {
    const all = {};
    for (const id of await res(o.resource).listIds()) all[id] = clean(await res(o.resource).get(id));
    return all;
  },
  update: async (o) => clean(await res(o.resource).update(o.id, o.patch)),
  delete: async (o) => { await res(o.resource).delete(o.id); return o.id; },
  count: async (o) => res(o.resource).count(part(o)),
  listIds: async (o) => res(o.resource).listIds(part(o)),
  resources: async () => Object.keys(db.savedMetadata?.resources ?? {}).sort(),
  reconnect: async () => { await db.disconnect(); db = await openDatabase(); return Object.keys(db.resources).sort(); },
  setContent: async (o) => { await res(o.resource).setContent({ id: o.id, buffer: Buffer.from(o.base64, "base64"), contentType: o.contentType }); return o.id; },
  content: async (o) => { const c = await res(o.resource).content(o.id); return { base64: c.buffer ? c.buffer.toString("base64") : null, contentType: c.contentType }; },
  hasContent: async (o) => res(o.resource).hasContent(o.id),
  waitUntil: async (o) => sleep(o.at - Date.now()),
  sleep: async (o) => sleep(o.ms),
};

for (const [i, o] of ops.entries()) {
  const t0 = Date.now();
  try {
    const result = (await run[o.op](o)) ?? null;
    out({ i, op: o.op, ok: true, ms: Date.now() - t0, result });
  } catch (err) {
    out({ i, op: o.op, ok: false, ms: Date.now() - t0, error: String(err?.message ?? err) });
  }
  // Partition references are also written/moved in setImmediate callbacks after writes return.
  if (["insert", "update", "delete"].includes(o.op) && ops[i + 1] && !["insert", "update", "delete"].includes(ops[i + 1].op)) await sleep(250);
}
await db.disconnect();
