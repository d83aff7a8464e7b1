// boundaries-<behavior>: metadata size accounting at the 2 KB limit (spec §7.1-7.6, §13.3, §13.11).
// Resources: r {s} without timestamps, t {s} with timestamps, m {f0..f3} for the multi-field examples.
// Inserts one string of N-1, N and N+1 characters around each documented limit of the behavior (and around
// the limits of the other behaviors, so every file shows the same sizes), the body-overflow 5/1000/1000/100
// example, the truncate-data 1000+1100 and 2028 × "x" examples, one field of 1000 × "é" (§13.11), and an
// update of the first over-the-limit record (§13.12). Not included: truncate-data with fields of 3000, 1 and
// 1 characters, and the truncate-data update of t near its limit: both never return in s3db.js 21.6.2 (§13.3).
import { writeCases } from "./lib.mjs";

const x = (n, c = "x") => c.repeat(n);
const around = (n) => [n - 1, n, n + 1];

// Documented boundaries (last size that stays in metadata / fits), per resource.
const limits = {
  r: { "user-managed": 2038, "body-overflow": 2041, "enforce-limits": 2038, "truncate-data": 2027, "body-only": 2041 },
  t: { "user-managed": 1956, "body-overflow": 1961, "enforce-limits": 1956, "truncate-data": 1947, "body-only": 1961 },
};

function sizes(resource) {
  const set = new Set();
  for (const n of Object.values(limits[resource])) for (const k of around(n)) set.add(k);
  return [...set].sort((a, b) => a - b);
}

const behaviors = ["user-managed", "body-overflow", "body-only", "truncate-data", "enforce-limits"];

function spec(behavior) {
  const steps = [
    { createResource: { name: "r", attributes: { s: "string" }, behavior } },
    { createResource: { name: "t", attributes: { s: "string" }, behavior, timestamps: true } },
    { createResource: { name: "m", attributes: { f0: "string|optional", f1: "string|optional", f2: "string|optional", f3: "string|optional" }, behavior } },
  ];
  for (const res of ["r", "t"]) {
    for (const n of sizes(res)) steps.push({ insert: { resource: res, data: { id: `${res}-${n}`, s: x(n) } } });
  }
  steps.push(
    { insert: { resource: "r", data: { id: "r-2028x", s: x(2028) } } }, // §7.5: cut, then emptied by truncate-data
    { insert: { resource: "r", data: { id: "r-e1000", s: x(1000, "é") } } }, // §13.11: 2000 bytes counted, 2670 written
    { insert: { resource: "t", data: { id: "t-e1000", s: x(1000, "é") } } },
    { insert: { resource: "m", data: { id: "m-5-1000-1000-100", f0: x(5, "A"), f1: x(1000, "B"), f2: x(1000, "C"), f3: x(100, "D") } } }, // §7.3
    { insert: { resource: "m", data: { id: "m-1000-1100", f0: x(1000, "A"), f1: x(1100, "B") } } }, // §7.5
    { insert: { resource: "r", data: { id: "r-small", s: "hello" } } },
    // §13.12: updates rewrite system fields into metadata; a record that went to the body may not update.
    { update: { resource: "r", id: `r-${limits.r[behavior] + 1}`, data: { s: "short now" } } },
    { update: { resource: "r", id: "r-small", data: { s: x(limits.r[behavior] - 200) } } },
  );
  // truncate-data: this update never returns (the update's system fields cannot be freed by blanking, §13.3).
  if (behavior !== "truncate-data") {
    steps.push({ update: { resource: "t", id: `t-${limits.t[behavior]}`, data: { s: x(limits.t[behavior]) + "y" } } });
  }
  return {
    case: `boundaries-${behavior}`,
    description: `Size boundaries of behavior ${behavior} (spec §7): one string field s without (r) and with (t) ` +
      `timestamps at N-1/N/N+1 around every behavior's limit, multi-field examples (m), 1000 × "é", updates near the limit.`,
    steps,
  };
}

await writeCases(behaviors.map(spec));
