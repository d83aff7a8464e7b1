// Fixture recorder for s3db-go: replays a list of steps with the real s3db.js 21.6.2 against S3 and writes
// one JSON file per case (format: ../README.md). Used by the generators next to this file; run them with
// scripts/gen-fixtures.sh, which sets S3DB_CONNECTION (bucket, no prefix) and S3DB_FIXTURES_OUT.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { dumpObjects, ensureBucket, jsonReplacer, openDatabase, parseConnection, rawS3 } from "s3dbjs-harness";

export const S3DB_VERSION = "21.6.2";

/** Partition references are also written in setImmediate callbacks after a write returns (spec §8.3). */
const SETTLE_MS = 300;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deep copy through JSON with the harness replacer (Buffers as {$base64}), dropping undefined. */
const plain = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value, jsonReplacer)));

/** The message of a thrown value, as the fixtures record it. */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

/** A connection string for the base connection with `prefix` appended as the key prefix. */
function connectionWithPrefix(base, prefix) {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/${prefix}`;
  return u.toString();
}

/** Read s3db.json under the key prefix (parsed), or null when absent. */
async function readS3dbJson(conn) {
  const { client, bucket, keyPrefix } = rawS3(conn);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: path.posix.join(keyPrefix, "s3db.json") }));
    return JSON.parse(await res.Body.transformToString("utf8"));
  } catch (err) {
    if (err?.name === "NoSuchKey" || err?.$metadata?.httpStatusCode === 404) return null;
    throw err;
  } finally {
    client.destroy();
  }
}

/** Every object under resource=<name>/ as {relKey → fixture object}. */
async function snapshot(conn, resourceName) {
  const { keyPrefix } = parseConnection(conn);
  const objects = new Map();
  for await (const obj of dumpObjects({ conn, prefix: path.posix.join(keyPrefix, `resource=${resourceName}`) + "/" })) {
    const entry = { relKey: obj.relKey, contentType: obj.contentType, metadata: obj.metadata, body: obj.body ?? null };
    if (obj.bodyBase64 !== undefined) entry.bodyBase64 = obj.bodyBase64;
    objects.set(obj.relKey, entry);
  }
  return objects;
}

/** Data keys first, then everything else (partition references, …), each group in byte order. */
function fixtureKeyOrder(a, b) {
  const da = a.includes("/data/") ? 0 : 1;
  const db = b.includes("/data/") ? 0 : 1;
  if (da !== db) return da - db;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Objects that appeared or changed since `before`, and keys that disappeared. */
function diff(before, after) {
  const objects = [];
  for (const [key, obj] of after) {
    const old = before.get(key);
    if (!old || JSON.stringify(old) !== JSON.stringify(obj)) objects.push(obj);
  }
  objects.sort((x, y) => fixtureKeyOrder(x.relKey, y.relKey));
  const deleted = [...before.keys()].filter((k) => !after.has(k)).sort(fixtureKeyOrder);
  return { objects, deleted };
}

/** get(id) → {get: record without "_" fields, getRaw: full record} or nulls (+ getError) when it throws. */
async function readBack(resource, id) {
  try {
    const raw = await resource.get(id);
    const visible = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith("_")));
    return { get: plain(visible), getRaw: plain(raw) };
  } catch (err) {
    return { get: null, getRaw: null, getError: messageOf(err) };
  }
}

/**
 * Run one case and return the fixture object.
 *   spec = {case, description, passphrase?, steps: [...]} with steps as in the README:
 *   {createResource: def} | {insert: {resource, data}} | {update: {resource, id, data}} |
 *   {delete: {resource, id}} | {reconnect: true}
 * Optional per-step extras (recorded as extra result fields):
 *   getAll: [{resource, id}, …]  → "getAll": [{resource, id, get, getRaw[, getError]}, …]
 *   listIds: [{resource, partition, partitionValues}, …] → "listIds": [{…, ids}, …]
 */
export async function runCase(spec, { baseConnection = process.env.S3DB_CONNECTION, runId } = {}) {
  const prefix = `fixtures/${spec.case}/${runId ?? Date.now().toString(36)}`;
  const conn = connectionWithPrefix(baseConnection, prefix);
  const passphrase = spec.passphrase ?? "secret";
  const open = () => openDatabase({ connectionString: conn, security: { passphrase } });
  await ensureBucket(conn);
  let db = await open();
  const state = new Map(); // resource name → last snapshot
  const steps = [];
  try {
    for (const step of spec.steps) {
      const { getAll, listIds, ...op } = step;
      const kind = Object.keys(op)[0];
      if (process.env.S3DB_FIXTURES_TRACE) console.error(`    step ${steps.length}: ${JSON.stringify(op).slice(0, 120)}`);
      const out = { ...op };
      if (kind === "createResource") {
        await db.createResource(structuredClone(op.createResource));
        out.s3db = await readS3dbJson(conn);
        state.set(op.createResource.name, await snapshot(conn, op.createResource.name));
      } else if (kind === "reconnect") {
        await db.disconnect();
        db = await open();
        out.s3db = await readS3dbJson(conn);
      } else if (kind === "insert" || kind === "update" || kind === "delete") {
        const { resource: name, id, data } = op[kind];
        const resource = db.resources[name];
        if (!resource) throw new Error(`step ${steps.length}: unknown resource ${name}`);
        out.error = null;
        try {
          if (kind === "insert") await resource.insert(structuredClone(data));
          else if (kind === "update") await resource.update(id, structuredClone(data));
          else await resource.delete(id);
        } catch (err) {
          out.error = messageOf(err);
        }
        if (Object.keys(resource.config?.partitions ?? {}).length > 0) await sleep(SETTLE_MS);
        const after = await snapshot(conn, name);
        const { objects, deleted } = diff(state.get(name) ?? new Map(), after);
        state.set(name, after);
        out.objects = objects;
        out.deleted = deleted;
        Object.assign(out, await readBack(resource, kind === "insert" ? data.id : id));
      } else {
        throw new Error(`step ${steps.length}: unknown step kind ${kind}`);
      }
      if (getAll) {
        out.getAll = [];
        for (const { resource: name, id } of getAll) {
          out.getAll.push({ resource: name, id, ...(await readBack(db.resources[name], id)) });
        }
      }
      if (listIds) {
        out.listIds = [];
        for (const q of listIds) {
          let ids;
          try {
            ids = await db.resources[q.resource].listIds({ partition: q.partition, partitionValues: q.partitionValues });
          } catch (err) {
            ids = { error: messageOf(err) };
          }
          out.listIds.push({ ...q, ids: Array.isArray(ids) ? [...ids].sort() : ids });
        }
      }
      steps.push(out);
    }
  } finally {
    await db.disconnect().catch(() => {});
  }
  return {
    case: spec.case,
    description: spec.description,
    s3dbVersion: S3DB_VERSION,
    passphrase,
    keyPrefix: prefix,
    steps: plain(steps),
  };
}

/** Run every case and write <out>/<case>.json (2-space JSON, trailing newline). */
export async function writeCases(specs, { outDir = process.env.S3DB_FIXTURES_OUT, only = process.env.S3DB_FIXTURES_ONLY } = {}) {
  if (!outDir) throw new Error("S3DB_FIXTURES_OUT is not set (run through scripts/gen-fixtures.sh)");
  await mkdir(outDir, { recursive: true });
  for (const spec of specs) {
    if (only && !new RegExp(only).test(spec.case)) continue;
    const started = Date.now();
    const fixture = await runCase(spec);
    const file = path.join(outDir, `${spec.case}.json`);
    await writeFile(file, JSON.stringify(fixture, jsonReplacer, 2) + "\n");
    const errors = fixture.steps.filter((s) => s.error).length;
    console.error(`  ${spec.case}: ${fixture.steps.length} steps, ${errors} with errors, ${Date.now() - started} ms`);
  }
}
