// Generates ../validate.json: (attributes, input) cases run through the real s3db.js 21.6.2
// validator exactly as Resource.insert does it: ResourceValidator.applyDefaults, sanitizeDeep,
// then the compiled fastest-validator check. Run with /work/shared/tools/s3dbjs/run.sh.
//
// Secrets and passwords are random (salted), so their outputs are replaced by markers:
//   {"$secret": plaintext}   the JS ciphertext decrypts to plaintext with passphrase "secret"
//   {"$password": plaintext} the JS compact hash verifies plaintext
//   {"$kept": value}         the input was already a ciphertext/hash and was stored unchanged
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = "/tmp/s3dbjs/app/node_modules/s3db.js/dist";
const { ResourceValidator } = await import(`${DIST}/core/resource-validator.class.js`);
const { sanitizeDeep } = await import(`${DIST}/concerns/safe-merge.js`);
const { decrypt, encrypt } = await import(`${DIST}/concerns/crypto.js`);
const { verifyPassword, isPasswordHash } = await import(`${DIST}/concerns/password-hashing.js`);

const PASS = "secret";
const cipherOfX = await encrypt("already-x", PASS);

const cases = [];
function add(name, attributes, inputs, opts = {}) {
  inputs.forEach((input, i) => cases.push({ name: `${name}/${i}`, attributes, input, opts }));
}

// ---- strings
add("string", { s: "string" }, [
  { s: "hello" }, { s: "  padded  " }, { s: "" }, { s: 42 }, { s: true }, { s: null }, {}, { s: ["a"] }, { s: { a: 1 } },
  { s: "\u00a0\ufeffnbsp\u2003 \n" }, { s: "tab\t" },
]);
add("string-required", { s: "string|required" }, [{ s: "x" }, {}, { s: null }]);
add("string-optional", { s: "string|optional" }, [{ s: "x" }, {}, { s: null }, { s: 5 }]);
add("string-min-max", { s: "string|min:2|max:4" }, [{ s: "a" }, { s: "ab" }, { s: "abcd" }, { s: "abcde" }, { s: "  a  " }, { s: "éé" }, { s: "😀" }, { s: "😀😀😀" }]);
add("string-length", { s: "string|length:3" }, [{ s: "abc" }, { s: "ab" }, { s: " abc " }]);
add("string-empty-false", { s: "string|empty:false" }, [{ s: "" }, { s: "   " }, { s: "x" }]);
add("string-empty-true", { s: "string|empty:true|min:3" }, [{ s: "" }, { s: "ab" }]);
add("string-pattern", { s: "string|pattern:^[a-z]+$" }, [{ s: "abc" }, { s: "ABC" }, { s: "" }]);
add("string-pattern-obj", { s: { type: "string", pattern: "^\\d{3}-\\d{4}$" } }, [{ s: "555-1234" }, { s: "5551234" }]);
add("string-numeric", { s: "string|numeric" }, [{ s: "123" }, { s: "-1.5" }, { s: "1e5" }, { s: "abc" }]);
add("string-alpha", { s: "string|alpha" }, [{ s: "abc" }, { s: "ab1" }]);
add("string-alphanum", { s: "string|alphanum" }, [{ s: "ab1" }, { s: "ab-1" }]);
add("string-alphadash", { s: "string|alphadash" }, [{ s: "ab_1-x" }, { s: "ab 1" }]);
add("string-hex", { s: "string|hex" }, [{ s: "a0ff" }, { s: "abc" }, { s: "zz" }]);
add("string-lowercase", { s: "string|lowercase" }, [{ s: " HeLLo " }]);
add("string-uppercase", { s: "string|uppercase" }, [{ s: "straße" }]);
add("string-convert", { s: "string|convert:true" }, [{ s: 42 }, { s: true }, { s: 1.5 }, { s: [1, 2] }, { s: { a: 1 } }]);
add("string-contains", { s: "string|contains:foo" }, [{ s: "xfoox" }, { s: "bar" }]);
add("string-enum-param", { s: { type: "string", enum: ["a", "b"] } }, [{ s: "a" }, { s: "c" }]);
add("string-singleline", { s: "string|singleLine" }, [{ s: "a\nb" }, { s: "ab" }]);
add("string-base64", { s: "string|base64" }, [{ s: "aGVsbG8=" }, { s: "abc" }]);
add("string-trim-false", { s: "string|trim:false" }, [{ s: "  x  " }]);
add("string-default", { s: "string|default:hello" }, [{}, { s: null }, { s: "given" }]);
add("string-default-number", { s: "string|default:42" }, [{}, { s: null }]);
add("string-padstart", { s: "string|padStart:5|padChar:0" }, [{ s: "42" }]);
add("string-obj-min", { s: { type: "string", min: 3, optional: true } }, [{ s: "ab" }, {}, { s: "abc" }]);
add("string-messages", { s: { type: "string", min: 3, messages: { stringMin: "too short!" } } }, [{ s: "ab" }]);

// ---- numbers
add("number", { n: "number" }, [
  { n: 42 }, { n: -1.5 }, { n: "42" }, { n: " 12 " }, { n: "" }, { n: "abc" }, { n: true }, { n: false }, { n: null }, {},
  { n: [5] }, { n: [1, 2] }, { n: {} }, { n: "0x1f" }, { n: "1e3" }, { n: "Infinity" }, { n: "-0" }, { n: "1_000" }, { n: ".5" }, { n: "5." },
]);
add("number-integer", { n: "number|integer" }, [{ n: 3 }, { n: 3.5 }, { n: "7" }, { n: "7.2" }, { n: -4 }]);
add("number-integer-true", { n: "number|integer:true" }, [{ n: 3 }, { n: 3.1 }]);
add("number-min-max", { n: "number|min:1|max:10" }, [{ n: 0 }, { n: 1 }, { n: 10 }, { n: 11 }, { n: "11" }]);
add("number-positive", { n: "number|positive" }, [{ n: 1 }, { n: 0 }, { n: -1 }]);
add("number-negative", { n: "number|negative" }, [{ n: -1 }, { n: 0 }]);
add("number-equal", { n: "number|equal:5" }, [{ n: 5 }, { n: 6 }]);
add("number-notequal", { n: "number|notEqual:5" }, [{ n: 5 }, { n: 6 }]);
add("number-optional", { n: "number|optional" }, [{}, { n: null }, { n: "x" }]);
add("number-default", { n: "number|default:7" }, [{}, { n: null }, { n: 3 }]);
add("number-obj", { n: { type: "number", min: 1, integer: true } }, [{ n: 0.5 }, { n: 2 }, { n: "3" }]);
add("number-convert-false", { n: "number|convert:false" }, [{ n: "5" }, { n: 5 }]);
add("number-multi", { n: "number|integer|positive|max:100" }, [{ n: -2.5 }, { n: 500 }]);

// ---- booleans
add("boolean", { b: "boolean" }, [
  { b: true }, { b: false }, { b: "true" }, { b: "false" }, { b: "1" }, { b: "0" }, { b: 1 }, { b: 0 }, { b: "on" }, { b: "off" },
  { b: "yes" }, { b: 2 }, { b: null }, {}, { b: " true" },
]);
add("boolean-optional", { b: "boolean|optional" }, [{}, { b: "x" }]);
add("boolean-default", { b: "boolean|default:true" }, [{}, { b: null }, { b: false }]);
add("boolean-default-false", { b: "boolean|default:false" }, [{}]);
add("boolean-obj", { b: { type: "boolean" } }, [{ b: "true" }, { b: "nope" }]);
add("bool-refused", { b: "bool" }, [{ b: true }]);
add("bool-pipe-refused", { b: "bool|optional" }, [{ b: true }]);
add("bool-obj-refused", { b: { type: "bool" } }, [{ b: true }]);
add("text-refused", { t: "text" }, [{ t: "x" }]);
add("text-pipe-refused", { t: "text|optional" }, [{ t: "x" }]);
add("unknown-type", { t: "strng" }, [{ t: "x" }]);
add("unknown-type-pipe", { t: "strng|optional" }, [{ t: "x" }]);

// ---- email / url / uuid / enum / any / equal / forbidden / luhn
add("email", { e: "email" }, [
  { e: "a@b.co" }, { e: " a@b.co " }, { e: "nope" }, { e: "" }, { e: 5 }, { e: "a@b" }, { e: "A@B.CO" }, { e: "a b@c.de" },
]);
add("email-optional", { e: "email|optional" }, [{}, { e: "" }]);
add("email-empty", { e: "email|empty:true" }, [{ e: "" }]);
add("email-precise", { e: "email|mode:precise" }, [{ e: "a@b.co" }, { e: "a@b..co" }, { e: "\"quoted\"@x.io" }, { e: "a@[1.2.3.4]" }]);
add("email-normalize", { e: "email|normalize:true" }, [{ e: " A@B.CO " }]);
add("email-min-max", { e: "email|min:8|max:10" }, [{ e: "a@b.co" }, { e: "abcdef@b.co" }]);
add("url", { u: "url" }, [{ u: "https://x.io/a?b" }, { u: "ftp://x" }, { u: "" }, { u: "http://" }, { u: "http://x y" }, { u: 3 }]);
add("uuid", { u: "uuid" }, [
  { u: "123e4567-e89b-12d3-a456-426614174000" }, { u: "550e8400-e29b-41d4-a716-446655440000" }, { u: "550e8400-e29b-41d4-c716-446655440000" },
  { u: "00000000-0000-0000-0000-000000000000" }, { u: "nope" }, { u: "550E8400-E29B-41D4-A716-446655440000" }, { u: 5 },
  { u: "550e8400-e29b-91d4-a716-446655440000" },
]);
add("uuid-version", { u: "uuid|version:4" }, [{ u: "550e8400-e29b-41d4-a716-446655440000" }, { u: "123e4567-e89b-12d3-a456-426614174000" }]);
add("enum", { c: { type: "enum", values: ["red", "green", 3] } }, [{ c: "red" }, { c: "blue" }, { c: 3 }, { c: "3" }, {}, { c: null }]);
add("enum-optional", { c: { type: "enum", values: ["a"], optional: true } }, [{}, { c: "b" }]);
add("enum-shorthand", { c: "enum|values:a" }, [{ c: "a" }]);
add("any", { a: "any" }, [{ a: 1 }, { a: "  x " }, { a: { k: [1, { z: 2 }] } }, { a: null }, {}, { a: [1, "b"] }]);
add("any-optional", { a: "any|optional" }, [{}]);
add("equal", { e: "equal|value:yes" }, [{ e: "yes" }, { e: "no" }]);
add("equal-strict", { e: { type: "equal", value: 5, strict: true } }, [{ e: 5 }, { e: "5" }]);
add("equal-loose", { e: "equal|value:5" }, [{ e: "5" }, { e: 6 }]);
add("forbidden", { f: "forbidden" }, [{}, { f: 1 }]);
add("forbidden-remove", { f: "forbidden|remove:true" }, [{ f: 1 }, {}]);
add("luhn", { l: "luhn" }, [{ l: "4242424242424242" }, { l: "4242424242424241" }, { l: 4242 }]);

// ---- arrays
add("array", { a: "array" }, [{ a: [] }, { a: [1, "x", null] }, { a: "x" }, { a: {} }, {}, { a: null }]);
add("array-items-string", { a: "array|items:string" }, [{ a: ["a", " b "] }, { a: ["a", 1] }, { a: [null] }, { a: [] }]);
add("array-items-number", { a: "array|items:number" }, [{ a: [1, "2", " 3 "] }, { a: [1, "x"] }, { a: [true] }]);
add("array-min-max", { a: "array|min:1|max:2" }, [{ a: [] }, { a: [1] }, { a: [1, 2, 3] }]);
add("array-length", { a: "array|length:2" }, [{ a: [1] }, { a: [1, 2] }]);
add("array-empty", { a: "array|empty:false" }, [{ a: [] }]);
add("array-unique", { a: "array|unique" }, [{ a: [1, 2, 1, 3, 2] }, { a: [1, 2] }, { a: ["a", "a"] }]);
add("array-contains", { a: "array|contains:x" }, [{ a: ["x"] }, { a: ["y"] }]);
add("array-convert", { a: "array|convert:true" }, [{ a: "x" }, { a: 5 }, { a: null }]);
add("array-optional", { a: "array|items:string|optional" }, [{}, { a: null }]);
add("array-obj-items", { a: { type: "array", items: { type: "object", props: { n: "number", s: "string" } } } }, [
  { a: [{ n: "1", s: " x ", extra: 1 }, { n: "bad" }] },
  { a: [{ n: 1, s: "y", extra: 2 }] },
]);
add("array-obj-items-enum", { a: { type: "array", items: "string", enum: ["a", "b"] } }, [{ a: ["a", "c", "d"] }]);
add("array-items-email", { a: { type: "array", items: "email" } }, [{ a: ["a@b.co", "bad"] }]);
add("array-items-datetime", { a: { type: "array", items: "datetime" } }, [{ a: ["2024-01-02", "bad"] }]);
add("embedding", { v: "embedding:3" }, [{ v: [0.1, 0.2, 0.3] }, { v: [0.1, 0.2] }, { v: [] }, { v: ["1", 2, 3] }, { v: [1, "a", 3] }, {}]);
add("embedding-bare", { v: "embedding" }, [{ v: [1] }, { v: [] }]);
add("embedding-optional", { v: "embedding:2|optional" }, [{}, { v: [1, 2] }]);
add("embedding-obj", { v: { type: "embedding", length: 2 } }, [{ v: [1, 2] }, { v: [] }]);
add("array-items-number-length", { v: "array|items:number|length:2" }, [{ v: [1, 2] }]);
add("string-array-shorthand", { t: "string[]" }, [{ t: ["a"] }]);

// ---- nested objects
const nested = { name: "string", profile: { age: "number", city: "string|optional" } };
add("nested-default-optional", nested, [
  { name: "a" }, { name: "a", profile: { age: "3" } }, { name: "a", profile: { age: "x" } }, { name: "a", profile: "str" },
  { name: "a", profile: null }, { name: "a", profile: { age: 1, city: " SP ", extra: " keep " } }, { name: "a", profile: {} },
]);
add("nested-required-when-not-all-optional", nested, [{ name: "a" }, { name: "a", profile: { age: 1 } }], { allNestedObjectsOptional: false });
add("nested-$$type-optional", { p: { $$type: "object|optional", x: "number" } }, [{}, { p: { x: 2 } }], { allNestedObjectsOptional: false });
add("nested-$$type-required", { p: { $$type: "object|required", x: "number" } }, [{}, { p: { x: "2" } }]);
add("nested-$$type-plain", { p: { $$type: "object", x: "number" } }, [{}], { allNestedObjectsOptional: false });
add("nested-deep", { a: { b: { c: "string|min:2" } } }, [{ a: { b: { c: "x" } } }, { a: { b: { c: " xyz " } } }, { a: {} }, { a: { b: 5 } }]);
add("nested-odd-keys", { "my-field": "string", o: { "in-ner": "number" } }, [{ "my-field": 5, o: { "in-ner": "x" } }]);
add("nested-with-type-key", { addr: { type: "string", city: "string" } }, [{ addr: "x" }, { addr: { city: "y" } }]);
add("nested-with-type-unknown", { addr: { type: "string|min:2", city: "string" } }, [{ addr: { type: "a", city: "y" } }, { addr: { type: "ab", city: "y" } }]);
add("object-string", { o: "object" }, [{ o: { a: 1, b: { c: " x " } } }, { o: "x" }, { o: [] }, {}]);
add("object-optional", { o: "object|optional" }, [{}, { o: {} }]);
add("object-props", { o: { type: "object", props: { city: "string", age: "number" } } }, [
  { o: { city: " L ", age: "30", extra: 1 } }, { o: { city: "L", age: "x", extra: 1 } }, {}, { o: 5 },
]);
add("object-properties-strict", { o: { type: "object", strict: true, properties: { a: "string" } } }, [{ o: { a: "x", b: 1 } }]);
add("object-minprops", { o: { type: "object", minProps: 2, maxProps: 3 } }, [{ o: { a: 1 } }, { o: { a: 1, b: 2 } }, { o: { a: 1, b: 2, c: 3, d: 4 } }]);
add("top-level-unknown", { a: "string" }, [{ a: "x", b: " y ", c: { d: 1 } }]);
add("dangerous-keys", { a: "string", o: { x: "any|optional" } }, [{ a: "x", constructor: 1, prototype: 2, "a.constructor": 3, o: { x: { prototype: 1, ok: 2 } } }]);
add("multiple-errors", { a: "string|min:3", b: "number|integer", c: "boolean", d: "email" }, [{ a: "x", b: 1.5, c: "maybe", d: "x" }, {}]);

// ---- s3db custom types
add("datetime", { d: "datetime" }, [
  { d: "2024-01-02T03:04:05.678Z" }, { d: "2024-01-02" }, { d: "2024-01-02T03:04:05+02:00" }, { d: 1704164645678 }, { d: 0 },
  { d: "garbage" }, { d: true }, { d: null }, {}, { d: "  2024-01-02  " }, { d: 8.64e15 + 1 }, { d: "2024-01-02T03:04:05" },
]);
add("datetime-optional", { d: "datetime|optional" }, [{}, { d: null }, { d: "2024-05-06T07:08:09Z" }]);
add("dateonly", { d: "dateonly" }, [{ d: "2024-01-02" }, { d: "2024-01-02T23:59:59Z" }, { d: 86400000 }, { d: "bad" }, { d: "2024-13-01" }, { d: {} }, { d: "1815-12-10" }]);
add("timeonly", { t: "timeonly" }, [{ t: "13:45" }, { t: "13:45:30" }, { t: "13:45:30.25" }, { t: "25:00" }, { t: "2024-01-02T13:45:30.250Z" }, { t: 5 }, { t: "1:2" }]);
add("mac", { m: "mac" }, [{ m: "AA:BB:CC:DD:EE:FF" }, { m: "aa-bb-cc-dd-ee-ff" }, { m: "aabb.ccdd.eeff" }, { m: "zz" }, { m: 5 }]);
add("mac-optional", { m: "mac|optional" }, [{}]);
add("cidr", { c: "cidr" }, [{ c: "10.0.0.0/8" }, { c: "010.0.0.1/08" }, { c: "300.0.0.0/8" }, { c: "1.2.3.4/33" }, { c: "1.2.3.4" }]);
add("semver", { v: "semver" }, [{ v: "1.2.3" }, { v: "v01.02.03" }, { v: "1.2" }, { v: "1.2.3-beta" }]);
add("phone", { p: "phone" }, [{ p: "+55 (11) 99999-8888" }, { p: "11.999.998888" }, { p: "123" }, { p: 5511999998888 }]);
add("color", { c: "color" }, [{ c: "#FF8800" }, { c: "f80" }, { c: "#abcd" }, { c: "red" }]);
add("duration", { d: "duration" }, [
  { d: "PT1H30M" }, { d: "P1DT2H" }, { d: "PT1.5S" }, { d: "1h30m" }, { d: "90m" }, { d: "250ms" }, { d: "2d" }, { d: 1234 }, { d: -5 },
  { d: "P" }, { d: "abc" }, { d: "1.5h" }, { d: "1m30s" }, { d: "PT" },
]);
add("cron", { c: "cron" }, [{ c: "0 */5 * * *" }, { c: " 0   1 * * 1-5 " }, { c: "* * *" }, { c: "a b c d e" }, { c: "1,2,3 0-5/2 * * *" }]);
add("locale", { l: "locale" }, [{ l: "pt_br" }, { l: "EN" }, { l: "en-us-x" }, { l: 5 }]);
add("currency", { c: "currency" }, [{ c: "usd" }, { c: "US" }, { c: 5 }]);
add("currency-optional", { c: "currency|optional" }, [{}, { c: "eur" }]);
add("country", { c: "country" }, [{ c: "br" }, { c: "BRA" }]);
add("ean", { e: "ean" }, [{ e: "4006381333931" }, { e: "96385074" }, { e: 4006381333931 }, { e: 96385074 }, { e: "123" }, { e: 1.5 }, { e: -1 }]);
add("ip4", { i: "ip4" }, [{ i: "192.168.1.1" }, { i: " 999.1.1.1 " }, { i: 5 }]);
add("ip6", { i: "ip6|optional" }, [{ i: "::1" }, {}]);
add("money", { m: "money" }, [{ m: 19.99 }, { m: -1 }, { m: "5" }, { m: "x" }]);
add("money-3", { m: "money:3" }, [{ m: 1.2345 }]);
add("money-min", { m: "money|min:10" }, [{ m: 5 }, { m: 15 }]);
add("money-obj", { m: { type: "money" } }, [{ m: -1 }, { m: 3 }]);
add("crypto", { c: "crypto" }, [{ c: 0.00012345 }, { c: -0.1 }]);
add("crypto-optional", { c: "crypto:8|optional" }, [{}]);
add("decimal", { d: "decimal:4" }, [{ d: -3.14159 }, { d: "2.5" }, { d: "x" }]);
add("decimal-bare", { d: "decimal|min:0" }, [{ d: -1 }]);
add("geo-lat", { la: "geo:lat:4", lo: "geo:lon" }, [{ la: -23.55, lo: -46.6 }, { la: 91, lo: 181 }, { la: "-90", lo: "180" }]);
add("geo-lat-obj", { la: { type: "geo:lat" }, lo: { type: "geo-lon", min: 0 } }, [{ la: 100, lo: -5 }]);
add("geo-lat-min", { la: "geo:lat|min:0" }, [{ la: -5 }, { la: 95 }]);
add("geo-point", { p: "geo:point" }, [{ p: { lat: 1.5, lon: -2.25 } }, { p: "anything" }, {}]);

// ---- secrets / passwords / json
add("secret", { s: "secret" }, [{ s: "hunter2" }, { s: "  padded  " }, { s: 42 }, { s: "" }, {}, { s: null }]);
add("secret-optional", { s: "secret|optional" }, [{ s: "x" }, { s: null }]);
add("secret-min", { s: "secret|min:8" }, [{ s: "short" }, { s: "longenough" }]);
add("secret-already", { s: "secret" }, [{ s: cipherOfX }]);
add("secret-nested", { p: { tok: "secret" } }, [{ p: { tok: "t" } }]);
add("password", { p: "password" }, [{ p: "hunter2" }, { p: "" }, { p: "   " }, { p: 5 }, { p: "$c$alreadyhashed" }, { p: "$2b$12$abcdefghijklmnopqrstuv" }]);
add("password-min", { p: "password|min:8" }, [{ p: "short" }]);
add("password-bcrypt", { p: "password:bcrypt" }, [{ p: "abc" }]);
add("password-bcrypt-optional", { p: "password:bcrypt|optional" }, [{ p: "abc" }]);
add("json", { j: "json" }, [
  { j: { a: 1, b: [true, null, "x"] } }, { j: "already text" }, { j: 5 }, { j: [1, 2] }, { j: true }, { j: null }, {}, { j: { "1": 1, b: 2, "0": 0 } },
  { j: { s: "é\u2028<>&\"\\\n" } }, { j: 1.5e-7 }, { j: 1e21 },
]);
add("json-optional", { j: "json|optional" }, [{}]);
add("json-nested", { p: { j: "json" } }, [{ p: { j: { x: 1 } } }]);

// ---- 13.7 oddities and refusals
add("date", { d: "date" }, [{ d: "2024-01-02" }, { d: 5 }]);
add("date-convert", { d: "date|convert:true" }, [{ d: "2024-01-02" }]);
add("buffer", { b: "buffer" }, [{ b: "aGk=" }]);
add("bits", { b: "bits:8" }, [{ b: [1, 0] }]);
add("custom-type", { c: "custom" }, [{ c: 5 }]);
add("number-shorthand-weird", { n: "number|min:|max:abc" }, [{ n: -1 }]);
add("number-shorthand-hex", { n: "number|max:0x10" }, [{ n: 17 }]);
add("string-pattern-colon", { s: "string|pattern:^a:b$" }, [{ s: "a:b" }, { s: "a" }]);
add("no-prefix", { s: "string|no-trim" }, [{ s: " x " }]);
add("optional-false", { s: "string|optional:false" }, [{}]);
add("label", { s: { type: "string", label: "Full Name" } }, [{ s: 5 }]);
add("nullable", { s: "string|nullable" }, [{ s: null }, {}]);

async function run(c) {
  const opts = c.opts || {};
  let rv;
  try {
    rv = new ResourceValidator({
      attributes: structuredClone(c.attributes),
      allNestedObjectsOptional: opts.allNestedObjectsOptional ?? true,
      security: { passphrase: PASS },
      autoEncrypt: true,
    });
  } catch (err) {
    return { definitionError: err.message };
  }
  const withDefaults = rv.applyDefaults(structuredClone(c.input));
  const data = sanitizeDeep(withDefaults);
  const res = await rv.validate(data, { includeId: false });
  if (!res.isValid) {
    return {
      ok: false,
      errors: res.errors.map((e) => ({ field: e.field, type: e.type, message: e.message })),
    };
  }
  return { ok: true, output: await markSecrets(c.attributes, c.input, res.data) };
}

// markSecrets replaces ciphertexts and hashes by markers (see the file comment).
async function markSecrets(attrs, input, out) {
  if (out === null || typeof out !== "object") return out;
  for (const [k, def] of Object.entries(attrs)) {
    if (!(k in out)) continue;
    const d = typeof def === "string" ? def : def && typeof def.type === "string" ? def.type : null;
    const inVal = input && typeof input === "object" ? input[k] : undefined;
    if (d && (d === "secret" || d.startsWith("secret|"))) {
      if (typeof out[k] !== "string") continue;
      if (out[k] === inVal) { out[k] = { $kept: inVal }; continue; }
      out[k] = { $secret: await decrypt(out[k], PASS) };
    } else if (d && (d.startsWith("password"))) {
      if (typeof out[k] !== "string") continue;
      if (out[k] === inVal) { out[k] = { $kept: inVal }; continue; }
      if (!isPasswordHash(out[k])) throw new Error("not a hash: " + out[k]);
      const plain = String(inVal).trim();
      if (!(await verifyPassword(plain, out[k]))) throw new Error("hash does not verify " + plain);
      out[k] = { $password: plain };
    } else if (def && typeof def === "object" && typeof def.type !== "string") {
      out[k] = await markSecrets(def, inVal, out[k]);
    }
  }
  return out;
}

const results = [];
for (const c of cases) {
  const r = await run(c);
  const entry = { name: c.name, attributes: c.attributes, input: c.input };
  if (c.opts && Object.keys(c.opts).length) entry.options = c.opts;
  results.push(Object.assign(entry, r));
}
const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, "..", "validate.json"), JSON.stringify(results, null, 1) + "\n");
console.log(`${results.length} cases`);
