// Generates ../numeric.json: inputs and the outputs of the real s3db.js 21.6.2 numeric
// encoders and mapper hooks, the oracle of the Go tests in codec.
// Run: /work/shared/tools/s3dbjs/run.sh codec/testdata/gen/numeric.mjs
// Doubles are written as 16 hex digits of their IEEE-754 bits; other values are tagged:
// {"num":hex} {"str":s} {"bool":b} {"null":true} {"undef":true} {"arr":[...]} {"obj":{...}}.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

// Deep paths are not in the package's exports map: resolve them next to its entry point.
const dist = path.dirname(fileURLToPath(import.meta.resolve("s3db.js")));
const { SchemaActions: A } = await import(path.join(dist, "schema.class.js"));
const b62 = await import(path.join(dist, "concerns", "base62.js"));

const here = path.dirname(fileURLToPath(import.meta.url));

// Deterministic PRNG (mulberry32) so the file only changes when s3db.js does.
let seed = 0x5eed1234;
function rnd() {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const rint = (n) => Math.floor(rnd() * n);
const pick = (a) => a[rint(a.length)];

const dv = new DataView(new ArrayBuffer(8));
const hex = (x) => { dv.setFloat64(0, x); return dv.getBigUint64(0).toString(16).padStart(16, "0"); };
const fromBits = (hi, lo) => { dv.setUint32(0, hi); dv.setUint32(4, lo); return dv.getFloat64(0); };
function tag(v) {
  if (v === undefined) return { undef: true };
  if (v === null) return { null: true };
  if (typeof v === "number") return { num: hex(v) };
  if (typeof v === "string") return { str: v };
  if (typeof v === "boolean") return { bool: v };
  if (Array.isArray(v)) return { arr: v.map(tag) };
  if (typeof v === "object") return { obj: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tag(x)])) };
  throw new Error("untaggable " + typeof v);
}

// ---- doubles ----
const edge = [0, -0, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
  0.1, 0.2, 0.1 + 0.2, -0.25, 0.25, 10, 42.5, 123456.789, 123456789, 62, 61, 3843, 3844, 1000, -7, -3.7,
  2 ** 31, 2 ** 32, 2 ** 40, 2 ** 52, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 54, 2 ** 64, 2 ** 70,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE,
  Number.MIN_VALUE, -Number.MIN_VALUE, Number.EPSILON, 2.2250738585072014e-308, 2.225073858507201e-308,
  1e21, 1e21 - 65536, 999999999999999900000, 1.5e21, 1e22, 1e23, 1.2345678901234567e25, 1e100, 1e300, 1.7e308,
  -1e21, 1e20, 123e18, 1e-6, 1e-7, 1.5e-7, 5e-7, -1e-7, -1.5e-7, 9.999999999999999e-7, 1.0000000000000002e-6,
  1e-5, 1e-10, 1.2345e-20, 5e-324, 1e-323, 0.000001, 0.0000015, 0.000123, 1 / 3, 2 / 3, Math.PI, Math.E,
  -Math.PI, 100, 1e15, 1e16, 1e17, 12345678.125, 4.35, 19.99, 1.005, 1.2345, 0.00012345, 3.14159, -3.14159,
  0.015, 1.255, 8.345, -23.55052, -46.633308, 90, -90, 180, -180, 89.9999995, -89.9999995, 179.9999995,
  90.0000001, -90.0000001, 180.5, 0.0000005, 0.0000015, 0.0000025, -0.0000005, -0.0000015, 0.5e-6,
  NaN, Infinity, -Infinity];
const doubles = [...edge];
for (let i = 0; i < 600; i++) { // random bit patterns (finite)
  const x = fromBits(rint(0x7ff00000) | (rnd() < 0.5 ? 0x80000000 : 0), rint(2 ** 32));
  doubles.push(x);
}
for (let i = 0; i < 400; i++) { // random magnitudes across the whole range
  const x = (rnd() * 10 - 5) * 10 ** (rint(60) - 30);
  doubles.push(x);
}
for (let i = 0; i < 300; i++) doubles.push(Math.round((rnd() - 0.3) * 10 ** rint(12)) / 10 ** rint(8)); // few decimals
for (let i = 0; i < 200; i++) doubles.push(rint(2 ** 31) - 2 ** 30 + pick([0, 0.5, 0.25, 0.125, 0.1])); // halves etc.
for (let i = 0; i < 150; i++) doubles.push(Math.floor(rnd() * 2 ** 53) * 2 ** rint(30)); // big integers
for (let i = 0; i < 150; i++) doubles.push(pick([1e21, 1e-7, 1e-6, 2 ** 53]) * (1 + (rnd() - 0.5) * 1e-3)); // near thresholds
for (let i = 0; i < 100; i++) doubles.push((rint(9) + 1) * 10 ** (-rint(12) - 6)); // tiny one-digit texts
for (let i = 0; i < 100; i++) doubles.push(Math.round((rnd() * 360 - 180) * 1e7) / 1e7); // coordinates
for (let i = 0; i < 100; i++) doubles.push(Math.round(rnd() * 1e6) / 1e4); // money-like
const finite = doubles.filter(Number.isFinite);

const out = {};
out.format = doubles.map((x) => [hex(x), String(x)]);
out.pow10 = [];
for (let p = 0; p <= 400; p++) out.pow10.push([p, hex(Math.pow(10, p))]);
out.round = doubles.map((x) => [hex(x), hex(Math.round(x))]);

// ---- base62 integers (number|integer: toBase62 / fromBase62 hooks) ----
out.integer = doubles.map((x) => [hex(x), A.toBase62(x)]);
const badTexts = ["", "-", "--", "--1", "-0", "0", "00", "a-b", "é", "1.5", " 1", "1 ", "zZ09", "ZZZZZZZZZZ",
  "Z".repeat(9), "Z".repeat(20), "Z".repeat(200), "+1", "_", "-Z", "\u00a01", "abc\u{1F600}", "\\", "|", "~1", "^1", "$1", "NaN", "undefined"];
const integerTexts = [...badTexts, ...out.integer.map(([, s]) => s)];
for (let i = 0; i < 200; i++) {
  let s = rnd() < 0.3 ? "-" : "";
  const n = rint(14);
  for (let j = 0; j < n; j++) s += rnd() < 0.97 ? "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[rint(62)] : pick([".", "-", "!", "é"]);
  integerTexts.push(s);
}
out.integerDecode = [...new Set(integerTexts)].map((s) => [s, hex(b62.decode(s)), tag(A.fromBase62(s))]);

// ---- base36 keys ----
const keys = [];
for (let i = 0; i <= 3000; i++) keys.push(i);
keys.push(46655, 46656, 1679615, 1679616, 2 ** 31, 2 ** 40, 2 ** 53 - 1, -1, -36, -1296);
out.key = keys.map((n) => [n, b62.encodeKey(n)]);
const keyTexts = ["", "0", "z", "10", "zz", "100", "-", "-1", "A", "Z", "1a", "_", "é", "1.5", "zzzzzzzzzz", "1y2p0ij32e8e7", "1y2p0ij32e8e8", "zzzzzzzzzzzz", "-zz"];
out.keyDecode = keyTexts.map((s) => [s, hex(b62.decodeKey(s))]);

// ---- number (base62 decimal: toBase62Decimal / fromBase62Decimal hooks) ----
out.number = doubles.map((x) => [hex(x), A.toBase62Decimal(x)]);
const numberTexts = [...badTexts, ...out.number.map(([, s]) => s), "1.", ".5", "-.5", "--1.5", "1..5", "1.2.3",
  "a.", "a.5e3", "a.e3", "1.5e", "1.5e+", "1.5x", "1. 5", "1.5 ", "1.5\n", "1.5\u00a0", "1.\u20285", "1.0x10",
  "1.Infinity", "Z".repeat(12) + ".5", "Z".repeat(12), "1.5e400", "1.5e-400", "0.00000", "-0.0", "g8.",
  ".", "-.", "..", "1.-5", "1.+5", "1.5E5", "1.5e05", "1._5", "1.5_0", "x.1e1"];
out.numberDecode = [...new Set(numberTexts)].map((s) => [s, tag(A.fromBase62Decimal(s)), hex(b62.decodeDecimal(s))]);

// ---- money / crypto ----
const decimalsList = [0, 1, 2, 3, 6, 8, 9, 18, 23, 30];
out.money = [];
for (const x of doubles) for (const d of [2, 8, pick(decimalsList)]) out.money.push([hex(x), d, tag(A.encodeMoney(x, { decimals: d }))]);
const moneyTexts = ["$wf", "$jV", "$3d7", "$", "$0", "$-1", "$-", "wf", "", "$1.5", "$é", "$ZZZZZZZZZZZZ", "$$1", " $1", "$undefined"];
for (const [, , t] of out.money.slice(0, 600)) moneyTexts.push(t.str);
out.moneyDecode = [];
for (const s of new Set(moneyTexts)) for (const d of [0, 2, 3, 8, 23]) out.moneyDecode.push([s, d, tag(A.decodeMoney(s, { decimals: d }))]);

// ---- decimal:N (fixed point) ----
out.decimal = [];
for (const x of doubles) for (const p of [2, 4, pick(decimalsList)]) {
  const scaled = Math.round(x * Math.pow(10, p));
  if (Number.isFinite(x) && !Number.isFinite(scaled)) continue; // s3db.js loops forever on these
  out.decimal.push([hex(x), p, tag(A.encodeDecimalFixed(x, { precision: p }))]);
}
out.decimal.push([hex(0), 400, tag(A.encodeDecimalFixed(0, { precision: 400 }))]);
out.decimal.push([hex(1e-300), 400, tag(A.encodeDecimalFixed(1e-300, { precision: 400 }))]);
const decimalTexts = ["^54", "^-8aI", "^0", "^-0", "^", "^-", "^--1", "54", "", "^1.5", "^é", "^ZZZZZZZZZZZZ", "^^1", "^00", "undefined"];
for (const [, , t] of out.decimal.slice(0, 600)) decimalTexts.push(t.str);
out.decimalDecode = [];
for (const s of new Set(decimalTexts)) for (const p of [0, 2, 4, 23]) out.decimalDecode.push([s, p, tag(A.decodeDecimalFixed(s, { precision: p }))]);

// ---- geo ----
const lats = [], lons = [];
for (const x of finite) { if (Math.abs(x) <= 90) lats.push(x); if (Math.abs(x) <= 180) lons.push(x); }
for (let i = 0; i < 300; i++) { lats.push(rnd() * 180 - 90); lons.push(rnd() * 360 - 180); }
const badCoords = [NaN, Infinity, -Infinity, 90.0000001, -90.5, 180.5, -181, 1000, 1e300];
out.geoLat = []; out.geoLon = [];
for (const x of [...lats, ...badCoords]) for (const p of [6, pick([0, 1, 2, 3, 4, 5, 7, 8, 10, 15])]) out.geoLat.push([hex(x), p, tag(A.encodeGeoLatitude(x, { precision: p }))]);
for (const x of [...lons, ...badCoords]) for (const p of [6, pick([0, 1, 2, 3, 4, 5, 7, 8, 10, 15])]) out.geoLon.push([hex(x), p, tag(A.encodeGeoLongitude(x, { precision: p }))]);
const geoTexts = ["~4uOxO", "~91ALG", "~", "~0", "~-1", "~é", "4uOxO", "", "~~1", "~1.5", "~ZZZZZZZZZZZZ", "NaN"];
for (const [, , t] of out.geoLat.slice(0, 300)) geoTexts.push(t.str);
out.geoDecode = [];
for (const s of new Set(geoTexts)) for (const p of [0, 6, 8]) out.geoDecode.push([s, p, tag(A.decodeGeoLatitude(s, { precision: p })), tag(A.decodeGeoLongitude(s, { precision: p }))]);
out.geoPoint = [];
for (let i = 0; i < 400; i++) {
  const lat = i < 40 ? pick([...badCoords, 0, 90, -90]) : pick(lats);
  const lon = i >= 20 && i < 60 ? pick([...badCoords, 0, 180, -180]) : pick(lons);
  const p = i % 3 === 0 ? pick([0, 2, 4, 8]) : 6;
  out.geoPoint.push([hex(lat), hex(lon), p, tag(A.encodeGeoPointPair([lat, lon], { precision: p }))]);
}
out.geoPoint.push([hex(1.5), hex(-2.25), 6, tag(A.encodeGeoPointPair({ lat: 1.5, lon: -2.25 }, { precision: 6 }))]);
const pointTexts = ["~6bVks~c1OTu", "6bVks~c1OTu", "~~6bVks~~c1OTu~", "~6bVks", "~a~b~c", "", "~", "~~", "~é~1", "~1~é", "~-1~-1", "a~", "NaN~c1OTu"];
for (const [, , , t] of out.geoPoint) if (t.str !== undefined) pointTexts.push(t.str);
out.geoPointDecode = [];
for (const s of new Set(pointTexts)) for (const p of [6, 2]) out.geoPointDecode.push([s, p, tag(A.decodeGeoPointPair(s, { precision: p }))]);

// ---- embeddings ----
const embInputs = [[], [0.1, -0.2, 0, 1], [0.5, 0.5, 0.5, 0.5], [NaN, Infinity, -Infinity, "0.5", null, true, [1], 1e-7, -1e-7, 4.9999999e-7, 5e-7, -5e-7, 1e300],
  Array.from({ length: 300 }, (_, i) => [-1, 0, 1][i % 3])];
for (let i = 0; i < 150; i++) {
  const n = rint(20) + 1;
  embInputs.push(Array.from({ length: n }, () => rnd() < 0.05 ? pick(finite.filter((x) => Math.abs(x) < 1e290)) : (rnd() * 2 - 1) * 10 ** (rint(6) - 3)));
}
out.embedding = embInputs.map((a) => [tag(a), A.fromArrayOfEmbeddings(a, {})]);
const embTexts = ["", "^[]", "^[", "^[x", "^[0]", "^[,]", "^[-]", "^[-0]", "^[a,,b]", "^[a,é]", "^[0é", "^[a\u{1F600}", "^[0\u00e9", "^[ab",
  "^a|^-b|^0", "^a|^-b|^0|", "^a\\|^b", "a|b", "^a||^b", "|", "^", "hello", "^[1,2]x", "[1,2]", "^[ZZZZZZZZZZZZZ]"];
for (const [, s] of out.embedding) embTexts.push(s);
out.embeddingDecode = [...new Set(embTexts)].map((s) => [s, tag(A.toArrayOfEmbeddings(s, { separator: "|" }))]);

// ---- string arrays ----
const strInputs = [[], [""], ["", ""], ["a|b", "c\\d", "x"], ["a"], ["\\"], ["|"], ["\\|"], ["a\\", "b"], ["é|ü", "\u{1F600}\\"],
  [1, 1.5, -0, null, true, false, NaN, 1e21, [1, [2, 3], null], { a: 1 }, "|x"], ["ab", "", "c"], [" a ", "b "]];
const strChars = ["a", "b", "|", "\\", " ", "é", "\u{1F600}", "x", "1"];
for (let i = 0; i < 150; i++) {
  const n = rint(5) + 1;
  strInputs.push(Array.from({ length: n }, () => { let s = ""; const m = rint(6); for (let j = 0; j < m; j++) s += pick(strChars); return s; }));
}
out.stringArray = strInputs.map((a) => [tag(a), A.fromArray(a, { separator: "|" })]);
const strTexts = ["", "|", "||", "\\", "\\\\", "a\\", "a\\|b", "\\a\\b", "a|b\\", "\\é", "\\\u{1F600}x", "x|\\\\|y"];
for (const [, s] of out.stringArray) strTexts.push(s);
out.stringArrayDecode = [...new Set(strTexts)].map((s) => [s, tag(A.toArray(s, { separator: "|" }))]);

// ---- number arrays ----
const numInputs = [[], [1.5, -2, 3], [1, 62, 3843], [0, -0, 0.5, -0.5, 1e-7, -1e-7, 1.5e-7, 1e21, NaN, Infinity, -Infinity],
  ["12", " 7 ", "", "abc", "0x1f", "0b101", "0o17", "1e3", ".5", "Infinity", "-Infinity", "infinity", null, true, false, [], [5], ["6"], [1, 2], { a: 1 }, "1_0", "+5", "-0x5"]];
for (let i = 0; i < 150; i++) {
  const n = rint(8) + 1;
  numInputs.push(Array.from({ length: n }, () => pick(doubles)));
}
out.numberArray = [];
for (const a of numInputs) for (const integer of [false, true]) {
  const hook = integer ? A.fromArrayOfNumbers : A.fromArrayOfDecimals;
  out.numberArray.push([tag(a), integer, hook(a, { separator: "|" })]);
}
const numTexts = ["", "|", "a||b", "1\\|2", "x|-|--1|1.5|é", "1.5e-7|1.e5", "\\"];
for (const [, , s] of out.numberArray) numTexts.push(s);
out.numberArrayDecode = [];
for (const s of new Set(numTexts)) for (const integer of [false, true]) {
  const hook = integer ? A.toArrayOfNumbers : A.toArrayOfDecimals;
  out.numberArrayDecode.push([s, integer, tag(hook(s, { separator: "|" }))]);
}

// ---- booleans ----
const boolInputs = [true, false, 1, 0, -1, 1.0, 2, 0.5, NaN, "true", "1", "yes", "y", "TRUE", "True", "Yes", "Y", "no", "0",
  "false", "", " 1", "1 ", "on", null, [], [1], ["true"], {}];
out.bool = boolInputs.map((v) => [tag(v), A.fromBool(v)]);
const boolTexts = ["1", "0", "true", "false", "yes", "y", "no", "", "TRUE", " 1", "1.0", "Y", "on"];
out.boolDecode = boolTexts.map((s) => [s, A.toBool(s)]);

writeFileSync(path.join(here, "..", "numeric.json"), JSON.stringify(out) + "\n");
const counts = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length]));
console.log(JSON.stringify(counts));
