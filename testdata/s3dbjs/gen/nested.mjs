// nested: nested objects and object-notation definitions (spec §3.1, §3.4, §13.4): plain nested objects,
// $$type objects, an object-notation enum, empty {} values, unmapped extra fields, {type:"object", props}.
import { writeCases } from "./lib.mjs";

await writeCases([{
  case: "nested",
  description: "Nested objects: plain nested (profile, address.geo), $$type object|optional (geo) and object (meta), " +
    "object-notation enum (status), object attribute (settings), empty {} values, unmapped extra fields " +
    "(fooBar, 'weird key!', nested.deep), and {type:'object', props} / properties (resource p, §13.4).",
  steps: [
    {
      createResource: {
        name: "r",
        behavior: "body-overflow",
        attributes: {
          name: "string",
          profile: { city: "string", zip: "string|optional" },
          address: { street: "string|optional", geo: { lat: "number|optional", lng: "number|optional" } },
          geo: { $$type: "object|optional", lat: "number", lng: "number" },
          meta: { $$type: "object", a: "string|optional", inner: { b: "string|optional" } },
          status: { type: "enum", values: ["new", "paid", "shipped"] },
          settings: "object|optional",
          tags: "array|items:string|optional",
        },
      },
    },
    { insert: { resource: "r", data: {
      id: "n1", name: "full", profile: { city: "London", zip: "N1" }, address: { street: "Main St 1", geo: { lat: 51.5, lng: -0.12 } },
      geo: { lat: -23.5, lng: -46.6 }, meta: { a: "A", inner: { b: "B" } }, status: "paid", settings: { theme: "dark", n: [1, 2] }, tags: ["a", "b"],
    } } },
    { insert: { resource: "r", data: { id: "n2", name: "empty required nested", profile: {}, status: "new" } } }, // fails: profile.city
    { insert: { resource: "r", data: { id: "n5", name: "empties", profile: { city: "Bern" }, address: {}, meta: {}, status: "new", settings: {} } } },
    { insert: { resource: "r", data: { id: "n3", name: "partial", profile: { city: "Paris" }, address: { geo: { lat: 1 } }, meta: { inner: {} }, status: "shipped" } } },
    { insert: { resource: "r", data: {
      id: "n4", name: "extras", profile: { city: "Rome", extra: "not in schema" }, meta: { a: "x", unknown: 5 }, status: "new",
      fooBar: "camel", "weird key!": "w", nested: { deep: "d", deeper: { x: 1 } }, "nested.deep": "dotted", flag: true, count: 5, arr: [1, 2], obj: { k: "v" },
    } } },
    { update: { resource: "r", id: "n1", data: { profile: { city: "Leeds" }, "address.street": "High St 2", status: "shipped" } } },
    { update: { resource: "r", id: "n5", data: { profile: { city: "Oslo" }, geo: { lat: 10, lng: 20 } } } },
    {
      createResource: {
        name: "p",
        attributes: {
          name: "string",
          profile: { type: "object", props: { city: "string", age: "number" } },
          other: { type: "object", optional: true, properties: { x: "string" } },
        },
      },
    },
    { insert: { resource: "p", data: { id: "p1", name: "props", profile: { city: "London", age: 30 }, other: { x: "y" } } } },
    { update: { resource: "p", id: "p1", data: { name: "props2" } } },
  ],
}]);
