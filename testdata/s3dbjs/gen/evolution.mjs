// evolution: schema versions and the persisted schemaRegistry (spec §2.4, §2.5, §13.14).
//   evolution: v1 {name,email,age} → reconnect → v2 {name,age,city} → reconnect → v3 re-adds email;
//              a record per version, every record read back after each step.
//   evolution-same-process: the same changes without reconnecting (§13.14: JS maps the new list by position).
import { writeCases } from "./lib.mjs";

const v1 = { name: "string", email: "string|optional", age: "number|integer|optional" };
const v2 = { name: "string", age: "number|integer|optional", city: "string|optional" };
const v3 = { name: "string", age: "number|integer|optional", city: "string|optional", email: "string|optional" };
const all = (n) => Array.from({ length: n }, (_, i) => ({ resource: "users", id: `e${i + 1}` }));

function steps(reconnect) {
  const rc = reconnect ? [{ reconnect: true, getAll: all(1) }] : [];
  const rc2 = reconnect ? [{ reconnect: true, getAll: all(2) }] : [];
  return [
    { createResource: { name: "users", attributes: v1, behavior: "body-overflow" } },
    { insert: { resource: "users", data: { id: "e1", name: "Ada", email: "ada@example.com", age: 36 } }, getAll: all(1) },
    ...rc,
    { createResource: { name: "users", attributes: v2, behavior: "body-overflow" }, getAll: all(1) },
    { insert: { resource: "users", data: { id: "e2", name: "Bob", age: 7, city: "Rio" } }, getAll: all(2) },
    ...rc2,
    { createResource: { name: "users", attributes: v3, behavior: "body-overflow" }, getAll: all(2) },
    { insert: { resource: "users", data: { id: "e3", name: "Cy", age: 50, city: "Oslo", email: "cy@example.com" } }, getAll: all(3) },
    { update: { resource: "users", id: "e1", data: { city: "Paris" } }, getAll: all(3) },
    { reconnect: true, getAll: all(3) },
  ];
}

await writeCases([
  {
    case: "evolution",
    description: "Schema evolution with reconnects (spec §2.5): v1 {name,email,age}, v2 {name,age,city} (email burned), " +
      "v3 re-adds email (new index); one record per version, getAll after each step, then an update of e1.",
    steps: steps(true),
  },
  {
    case: "evolution-same-process",
    description: "The same schema changes on one S3db object without reconnecting (spec §13.14): records written " +
      "after a change use positional keys; the final reconnect shows how a fresh reader decodes them.",
    steps: steps(false),
  },
]);
