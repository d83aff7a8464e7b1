// partitions: partition reference keys and their maintenance (spec §8, §13.13): one- and two-field
// partitions, a maxlength rule, date partitions from timestamps, byRegion + byRegionAge (prefix overlap), a
// nested-field partition, values with "/" and non-ASCII, records missing a partition field; inserts, updates
// that move references, a delete; listIds for a set of partition values after every step.
import { writeCases } from "./lib.mjs";

const today = new Date().toISOString().slice(0, 10);
const q = (partition, partitionValues) => ({ resource: "o", partition, partitionValues });
const queries = [
  q("byRegion", { region: "eu" }),
  q("byRegion", { region: "us" }),
  q("byRegion", { region: "usa" }),
  q("byRegionAge", { region: "us", age: 40 }),
  q("byRegionAge", { region: "eu", age: 30 }),
  q("byRegionAge", { region: "us", age: 30 }),
  q("byRegionAge", { region: "us" }),
  q("bySku", { sku: "ABC" }),
  q("bySku", { sku: "ABCDEF" }),
  q("byCity", { "customer.city": "London" }),
  q("byCity", { "customer.city": "São Paulo/SP" }),
  q("byFlagAge", { flag: true, age: 40 }),
  q("byCreatedDate", { createdAt: today }),
];

await writeCases([{
  case: "partitions",
  description: "Partitions (spec §8, §13.13): byRegion {region}, byRegionAge {region, age}, bySku {sku maxlength:3}, " +
    "byCity {customer.city}, byFlagAge {flag, age}, plus byCreatedDate/byUpdatedDate from timestamps. listIds " +
    "(sorted) for fixed partition values after every step; byCreatedDate is queried with the generation day.",
  steps: [
    {
      createResource: {
        name: "o",
        behavior: "body-overflow",
        timestamps: true,
        attributes: {
          region: "string|optional",
          age: "number|integer|optional",
          sku: "string|optional",
          flag: "boolean|optional",
          customer: { city: "string|optional" },
        },
        partitions: {
          byRegion: { fields: { region: "string" } },
          byRegionAge: { fields: { region: "string", age: "number" } },
          bySku: { fields: { sku: "string|maxlength:3" } },
          byCity: { fields: { "customer.city": "string" } },
          byFlagAge: { fields: { flag: "boolean", age: "number" } },
        },
      },
      listIds: queries,
    },
    { insert: { resource: "o", data: { id: "p1", region: "eu", age: 30, sku: "ABCDEF", flag: true, customer: { city: "London" } } }, listIds: queries },
    { insert: { resource: "o", data: { id: "p2", region: "us", age: 40, sku: "ABC", flag: false, customer: { city: "São Paulo/SP" } } }, listIds: queries },
    { insert: { resource: "o", data: { id: "p3", region: "usa", age: 40, sku: "AB", flag: true, customer: { city: "London" } } }, listIds: queries },
    { insert: { resource: "o", data: { id: "p4", age: 40, sku: "XYZW" } }, listIds: queries },
    { update: { resource: "o", id: "p1", data: { region: "us" } }, listIds: queries },
    { update: { resource: "o", id: "p2", data: { age: 41, customer: { city: "London" } } }, listIds: queries },
    { update: { resource: "o", id: "p4", data: { region: "eu" } }, listIds: queries },
    { delete: { resource: "o", id: "p3" }, listIds: queries },
  ],
}]);
