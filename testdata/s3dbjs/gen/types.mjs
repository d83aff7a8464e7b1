// types-<behavior>: every storable attribute type (the attribute set and the three records of
// ../../../../shared/tools/s3dbjs/examples/roundtrip.mjs), timestamps on, one partition, under each of the
// five behaviors; then an update of rt1 changing three fields and a delete of rt3.
import { writeCases } from "./lib.mjs";

const attributes = {
  name: "string|required",
  email: "email|optional",
  website: "url|optional",
  region: "string|required",
  count: "number|integer|optional",
  score: "number|optional",
  active: "boolean|optional",
  token: "secret|optional",
  vec: "embedding:8|optional",
  ip: "ip4|optional",
  ip6: "ip6|optional",
  tags: "array|items:string|optional",
  nums: "array|items:number|optional",
  ints: "array|items:number|integer|optional",
  extra: "json|optional",
  settings: "object|optional",
  seenAt: "datetime|optional",
  birthday: "dateonly|optional",
  alarm: "timeonly|optional",
  uid: "uuid|optional",
  mac: "mac|optional",
  net: "cidr|optional",
  version: "semver|optional",
  phone: "phone|optional",
  color: "color|optional",
  wait: "duration|optional",
  barcode: "ean|optional",
  price: "money|optional",
  fee: "crypto|optional",
  ratio: "decimal:4|optional",
  lat: "geo:lat|optional",
  lon: "geo:lon|optional",
  where: "geo:point",
  pass: "password|optional",
  status: { type: "enum", values: ["new", "processing", "completed"], optional: true },
  currency: "currency|optional",
  country: "country|optional",
  locale: "locale|optional",
  schedule: "cron|optional",
  profile: { city: "string", zip: "string|optional" },
  geo: { $$type: "object|optional", lat: "number", lng: "number" },
};

const records = [
  {
    id: "rt1", name: "Ada Lovelace", email: "ada@example.com", website: "https://example.com/ada", region: "eu",
    count: 1000, score: 42.5, active: true, token: "hunter2", vec: [0.1, -0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -0.8],
    ip: "192.168.1.10", ip6: "2001:db8::1", tags: ["math", "a|b", "c\\d"], nums: [1.5, -2, 3], ints: [1, 62, 3843],
    extra: { x: [1, 2], y: "z" }, settings: { theme: "dark" }, seenAt: "2024-01-02T03:04:05.678Z", birthday: "1815-12-10",
    alarm: "13:45:30.250", uid: "123e4567-e89b-12d3-a456-426614174000", mac: "aa:bb:cc:dd:ee:ff", net: "10.0.0.0/8",
    version: "1.2.3", phone: "+5511999998888", color: "#ff8800", wait: "PT1H30M", barcode: "4006381333931",
    price: 19.99, fee: 0.00012345, ratio: 3.14159, lat: -23.55052, lon: -46.633308, where: { lat: 1.5, lon: -2.25 },
    pass: "p4ssw0rd!", status: "processing", currency: "USD", country: "BR", locale: "pt-BR", schedule: "*/5 * * * *",
    profile: { city: "London", zip: "N1" }, geo: { lat: 51.5, lng: -0.12 },
  },
  {
    id: "rt2", name: "São Paulo café", region: "sa", count: -7, score: -0.25, active: false, tags: [], nums: [],
    ip: "10.0.0.1", ip6: "fe80::1", status: "completed", profile: { city: "日本語テキスト" },
    extra: "plain text in a json field", website: "http://localhost:8080/x", where: { lat: -90, lon: 180 },
  },
  { id: "rt3", name: "Grace", region: "eu", where: { lat: 0, lon: 0 } },
];

const behaviors = ["user-managed", "body-overflow", "body-only", "truncate-data", "enforce-limits"];

await writeCases(behaviors.map((behavior) => ({
  case: `types-${behavior}`,
  description: `Every storable type (roundtrip.mjs attribute set), timestamps, partition byRegion, behavior ${behavior}: ` +
    "insert rt1..rt3, update rt1 (score, tags, region → moves its partition reference), delete rt3.",
  steps: [
    { createResource: { name: "r", attributes, behavior, timestamps: true, partitions: { byRegion: { fields: { region: "string" } } } } },
    ...records.map((data) => ({ insert: { resource: "r", data } })),
    { update: { resource: "r", id: "rt1", data: { score: 7.25, tags: ["x", "y|z"], region: "us" } } },
    { delete: { resource: "r", id: "rt3" } },
  ],
})));
