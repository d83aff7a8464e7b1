// metatext: the client-level metadata text encoding (spec §5: u:/b:/d: and the ratios) and the string
// values that change on read (§13.5). One resource {s: "string"}, one record per interesting string.
import { writeCases } from "./lib.mjs";

const rep = (s, n) => s.repeat(n);

// [id suffix, value]
const strings = [
  // §5.1 examples
  ["cafe", "café"],
  ["sao-paulo", "São Paulo"],
  ["latin-caps", "ÀÉÎÕÜ"],
  ["japanese", "日本語テキスト"],
  ["tab", "a\tb"],
  ["emoji2", "😀😀"],
  ["emoji-mix", "x😀yyyyyy"],
  ["nul", "ab\u0000c"],
  ["newline", "line1\nline2"],
  ["del", "a\u007fb"],
  ["c1-control", "a\u0085b"],
  ["latin1-ff", "ÿ"],
  // dictionary (§5.3): exact values and URL prefixes
  ["dict-processing", "processing"],
  ["dict-json", "application/json"],
  ["dict-completed", "completed"],
  ["dict-failed", "failed"],
  ["dict-image-png", "image/png"],
  ["dict-in-transit", "in_transit"],
  ["dict-octet", "application/octet-stream"],
  ["url-https", "https://example.com/ada"],
  ["url-localhost-port", "http://localhost:8080/x"],
  ["url-localhost", "http://localhostx"],
  ["url-api-v1", "/api/v1/users"],
  ["url-v1-same-length", "/v1/x"],
  ["url-v1-longer", "/v1/xyz"],
  ["url-s3", "https://s3.amazonaws.com/bucket/key"],
  ["url-api-example", "https://api.example.com/v2/items"],
  ["url-api", "https://api.foo.dev/x"],
  ["url-www", "https://www.example.org/"],
  ["url-http", "http://example.com/"],
  ["url-products", "/products/42"],
  ["url-users", "/users/7"],
  ["url-unicode", "https://example.com/café"],
  // prefixes that must be escaped (§5.1 rule 2)
  ["prefix-b", "b:hello"],
  ["prefix-d", "d:p"],
  ["prefix-z", "z:abc"],
  ["prefix-u", "u:x"],
  ["prefix-z85", "z85:abc"],
  ["prefix-u-only", "u:"],
  ["prefix-b-only", "b:"],
  ["prefix-upper", "B:hello"],
  // values that change on read (§13.5)
  ["null", "null"],
  ["undefined", "undefined"],
  ["font-woff2", "font/woff2"],
  ["object-object", "[object Object]"],
  ["json-object", '{"a":1}'],
  ["json-array", "[1,2]"],
  ["json-broken", "{not json"],
  ["padded", "  padded  "],
  ["empty", ""],
  ["spaces-only", "   "],
  ["pipe", "a|b"],
  ["percent", "100%"],
  ["percent-escape", "%41%42"],
  ["common-true", "true"],
  ["common-200", "200"],
  ["number-text", "42"],
  ["equals", "k=v&x=y"],
  // ratios (§5.1 rule 5): multibyte > 0.3 → b:, latin1 > 0.5 → b:, both sides of each
  ["mb-3-of-10", "日本語abcdefg"],
  ["mb-4-of-10", "日本語語abcdef"],
  ["mb-emoji-3-of-10", "😀日abcdefg"], // a surrogate pair counts as 2 code units: 3 of 10
  ["mb-emoji-4-of-10", "😀😀abcdef"],
  ["mb-30-of-100", rep("日", 30) + rep("a", 70)],
  ["mb-31-of-100", rep("日", 31) + rep("a", 69)],
  ["l1-2-of-4", "ééaa"],
  ["l1-3-of-4", "éééa"],
  ["l1-50-of-100", rep("é", 50) + rep("a", 50)],
  ["l1-51-of-100", rep("é", 51) + rep("a", 49)],
  ["l1-500-of-1000", rep("é", 500) + rep("a", 500)],
  ["l1-501-of-1000", rep("é", 501) + rep("a", 499)],
  ["l1-and-mb", "é日aaaaaaaa"],
  ["l1-heavy-with-mb", "ééééé日aaaa"],
  ["lone-surrogate-b", "\ud800"],
  ["lone-surrogate-u", "a\ud800bcdefghij"],
];

await writeCases([{
  case: "metatext",
  description: "Metadata text encoding of string values (spec §5, §13.5): one resource {s: string}, user-managed, " +
    "one record per string; objects show the raw stored text, get shows what s3db.js reads back.",
  steps: [
    { createResource: { name: "r", attributes: { s: "string" }, behavior: "user-managed" } },
    ...strings.map(([id, s]) => ({ insert: { resource: "r", data: { id: `m-${id}`, s } } })),
  ],
}]);
