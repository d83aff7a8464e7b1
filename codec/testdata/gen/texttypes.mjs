// Generates codec/testdata/texttypes.json: expected outputs of the real s3db.js 21.6.2 functions for
// the text-like custom types (validator normalisation, schema mapper encode, schema unmapper decode).
// Run: /work/shared/tools/s3dbjs/run.sh codec/testdata/gen/texttypes.mjs > codec/testdata/texttypes.json
// Local-time date forms are evaluated in the time zone below; the Go test uses the same zone.
const TZ = 'America/Sao_Paulo';
process.env.TZ = TZ;

const dist = '/tmp/s3dbjs/app/node_modules/s3db.js/dist';
const { Schema } = await import(`${dist}/schema.class.js`);

// Deterministic PRNG (mulberry32) so the file is stable across runs.
let seed = 0x5eed1234;
function rnd() {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const pick = (xs) => xs[ri(0, xs.length - 1)];
const rstr = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
const B62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdefABCDEF';
const pad = (n, w) => String(n).padStart(w, '0');

// Input encoding in the JSON file: {s: string} | {n: number|"NaN"|"Infinity"|"-Infinity"} | {d: epochMs|"NaN"} | {b: bool} | {o: 1}.
function enc(v) {
  if (typeof v === 'string') return { s: v };
  if (typeof v === 'number') return { n: Number.isFinite(v) ? v : String(v) };
  if (v instanceof Date) return { d: Number.isFinite(v.getTime()) ? v.getTime() : 'NaN' };
  if (typeof v === 'boolean') return { b: v };
  return { o: 1 };
}
function out(v) {
  if (typeof v === 'string') return { s: v };
  if (typeof v === 'number') return { n: Number.isFinite(v) ? v : String(v) };
  if (v === undefined) return { u: 1 };
  return { o: String(v) };
}

const schemas = {};
function schemaFor(type) {
  if (!schemas[type]) schemas[type] = new Schema({ name: 't', attributes: { v: type } });
  return schemas[type];
}
async function normalize(type, v) {
  const s = schemaFor(type);
  const obj = { v };
  const res = await s.validator(obj);
  return res === true ? { ok: true, out: out(obj.v) } : { ok: false };
}
async function encode(type, v) {
  const s = schemaFor(type);
  try {
    const m = await s.mapper({ v });
    return { out: out(m['0']) };
  } catch (e) { return { threw: String(e && e.message) }; }
}
async function decode(type, v) {
  const s = schemaFor(type);
  try {
    const u = await s.unmapper({ _v: '1', '0': v });
    return { out: out(u.v) };
  } catch (e) { return { threw: String(e && e.message) }; }
}

// ---------------------------------------------------------------- inputs
function randomMs() {
  const r = rnd();
  if (r < 0.6) return ri(-2208988800000, 4102444800000); // 1900..2100
  if (r < 0.9) return Math.round((rnd() * 2 - 1) * 8.64e15);
  return pick([0, -1, 1, 8.64e15, -8.64e15, 8.64e15 + 1, -8.64e15 - 1, 86399999, -86400000, -86400001]);
}
const dateStrings = [
  '2024-01-02', '2024-01', '2024', '+002024-01-02', '-000001-01-01', '-000000-01-01', '+000000-01-01',
  '2024-01-02T03:04:05.678Z', '2024-01-02T03:04:05.678912Z', '2024-01-02T03:04:05.6Z', '2024-01-02T03:04Z',
  '2024-01-02T03Z', '2024-01-02T03:04:05', '2024-01-02T03:04', '2024-01-02t03:04:05z', '2024-01-02T03:04:05+05:30',
  '2024-01-02T03:04:05+0530', '2024-01-02T03:04:05+05', '2024-02-30', '2024-02-31', '2024-02-32', '2023-02-29',
  '2024-13-01', '2024-00-01', '2024-01-00', '2024-01-02T24:00:00Z', '2024-01-02T24:00:00.000Z', '2024-01-02T24:00:01Z',
  '2024-01-02T24:00', '2024-01-02T23:60:00Z', '2024-01-02T23:59:60Z', '2024-01-02 03:04:05', '2024-01-02 03:04:05Z',
  '2024-01-02T03:04:05.Z', '2024-01-02T03:04:05,678Z', '20240102', '2024T00:00:00.000Z', '2024-01T00:00:00.000Z',
  '2024T10:00', '+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00.000Z',
  '-271821-04-19T23:59:59.999Z', '-271821-04-20', '+275760-09-13', '+275760-09-14', '2024-01-02T03:04:05.678-00:00',
  '0000-01-01', '0099-12-31', '1969-12-31T23:59:59.999Z', '1815-12-10', '2024-01-02T03:04:05.678+24:00',
  '2024-01-02T03:04:05.678+23:59', '2024-01-02T03:04:05.678+23:60', '2024-01-02T03:04:05Z ', '2024-01-02T3:04:05Z',
  '2024-01-02T03:4:05Z', '2024-01-02T03:04:05.1234567890123Z', '2024-01-02T00:00:00.000+00:00Z', '', 'abc', 'T',
  '2024-01-02T', '2024-01-02TZ', '2024-1-02', '+2024-01-02', '002024-01-02', '-002024-01-02T10:00:00Z',
  // DST edges in America/Sao_Paulo (local-time forms): 2018-11-04 00:00 gap, 2019-02-16 23:00-24:00 overlap.
  '2018-11-04T00:30', '2018-11-04T00:00:00', '2018-11-03T23:59:59.999', '2018-11-04T01:00', '2019-02-16T23:30',
  '2019-02-16T22:59:59', '2019-02-17T00:00', '1914-01-01T00:00', '1900-01-01T00:00', '1960-06-15T12:00:00.5',
  '2024-01-02 03:04', '2024-01-02t03:04',
];
for (let i = 0; i < 80; i++) {
  const ms = randomMs();
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) continue;
  const iso = d.toISOString();
  dateStrings.push(iso);
  dateStrings.push(iso.slice(0, 10));
  dateStrings.push(iso.slice(0, 19));
  const oh = ri(0, 23), om = ri(0, 59);
  dateStrings.push(iso.slice(0, 19) + pick(['+', '-']) + pad(oh, 2) + ':' + pad(om, 2));
  dateStrings.push(iso.slice(0, 19) + '.' + rstr('0123456789', ri(1, 9)) + 'Z');
}
const dateNumbers = [0, 1, -1, 1.7, -1.7, 1704164645678, 8.64e15, -8.64e15, 8.64e15 + 1, 1e20, NaN, Infinity, -Infinity, 0.5, -0.5];
for (let i = 0; i < 30; i++) dateNumbers.push(randomMs() + (rnd() < 0.3 ? rnd() : 0));
const dateDates = [new Date(0), new Date(1704164645678), new Date(NaN), new Date(8.64e15), new Date(-8.64e15), new Date(-62198755200000), new Date(253402300800000)];
for (let i = 0; i < 20; i++) dateDates.push(new Date(randomMs()));

const timeStrings = ['13:45:30.250', '00:00', '23:59', '23:59:59.999', '24:00', '12:60', '12:00:60', '1:00', '12:00:00.1',
  '12:00:00.12', '12:00:00.1234', '12:00:00.', '12:00:', '2024-01-02T13:45:30.250Z', '2024-01-02T13:45:30', 'T', '',
  'noon', ' 12:00', '12:00 ', '+275760-09-13T00:00:00.000Z', '-000001-01-01T10:11:12.013Z', '99:99', '00:00:00.000'];
for (let i = 0; i < 40; i++) timeStrings.push(`${pad(ri(0, 25), 2)}:${pad(ri(0, 61), 2)}` + (rnd() < 0.7 ? `:${pad(ri(0, 61), 2)}` + (rnd() < 0.7 ? '.' + rstr('0123456789', ri(1, 3)) : '') : ''));

const uuids = ['123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '123e4567-e89b-42d3-c456-426614174000', '123e4567-e89b-92d3-a456-426614174000', '123e4567e89b12d3a456426614174000',
  '123e4567-e89b-12d3-a456-42661417400', 'not-a-uuid', '', ' 123e4567-e89b-12d3-a456-426614174000',
  '123E4567-E89B-12D3-A456-426614174000', '550e8400-e29b-41d4-a716-446655440000', '00000000-0000-0000-0000-000000000001',
  '---123e4567e89b12d3a456426614174000', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', '123e4567-e89b-62d3-0456-426614174000'];
for (let i = 0; i < 40; i++) {
  const h = rstr('0123456789abcdef', 32).split('');
  if (rnd() < 0.8) { h[12] = pick('12345678'); h[16] = pick('89ab'); }
  const s = h.join('');
  const u = `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  uuids.push(rnd() < 0.2 ? u.toUpperCase() : u);
}
const macs = ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 'aabbccddeeff', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff',
  'aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg', '', 'a:a:b:b:c:c:d:d:e:e:f:f', ' aa:bb:cc:dd:ee:ff', 'aa::bbccddeeff', '01:23:45:67:89:ab'];
for (let i = 0; i < 30; i++) macs.push(Array.from({ length: 6 }, () => rstr(HEX, 2)).join(pick([':', '-', ''])));
const cidrs = ['10.0.0.0/8', '192.168.1.0/24', '0.0.0.0/0', '255.255.255.255/32', '256.0.0.0/8', '1.2.3.4/33', '01.02.003.4/09',
  '1.2.3/8', '1.2.3.4', '1.2.3.4/', '/8', '', 'a.b.c.d/8', '1.2.3.4/8/9', ' 1.2.3.4/8', '1.2.3.4/ 8', '0x10.1.1.1/8',
  '1e2.1.1.1/8', '1.2.3.4.5/8', '-1.2.3.4/8', '1.2.3.4/-1', '4294967296.0.0.0/1', '1.2.3.4/123'];
for (let i = 0; i < 30; i++) cidrs.push(`${ri(0, 255)}.${ri(0, 255)}.${ri(0, 255)}.${ri(0, 255)}/${ri(0, 32)}`);
const semvers = ['1.2.3', 'v1.2.3', '0.0.0', '01.02.03', '1.2', '1.2.3-beta', 'V1.2.3', '1.1000.0', '999.999.999', '1000.0.0',
  '9007199254.0.0', '99999999999999999999999.0.0', '', 'v', 'vv1.2.3', ' 1.2.3', '1.2.3 ', '1..3', '1.2.3.4', '4294.967.295'];
for (let i = 0; i < 30; i++) semvers.push(`${pick(['', 'v'])}${ri(0, 5000)}.${ri(0, 1200)}.${ri(0, 1200)}`);
const phones = ['+5511999998888', '5511999998888', '+55 (11) 99999-8888', '+1.555.123.4567', '+123456', '+1234567', '+123456789012345',
  '+1234567890123456', '+0012345678', '0012345678', '', '+', 'abc', '+55 11 9999 8888', '++5511999998888', '+55\t11999998888',
  '+12345678901234567890123', '+-1234567', '+1234567a'];
for (let i = 0; i < 30; i++) phones.push((rnd() < 0.7 ? '+' : '') + ri(1, 9) + rstr('0123456789', ri(6, 14)));
const colors = ['#ff8800', '#FF8800', 'ff8800', '#f80', 'F80', '#ff88001', '#ggg', '', '#', '#000000', '#ffffff', 'red', ' #fff',
  '#12345', '#0x1234', '##ff8800'];
for (let i = 0; i < 30; i++) colors.push(pick(['#', '']) + rstr(HEX, pick([3, 6])));
const durations = ['PT1H30M', 'P1DT2H', 'PT1.234S', 'PT0S', 'P', 'PT', 'P1D', 'PT1.5S', 'PT0.0005S', 'PT0.0015S', '1h30m', '90m', '1234ms',
  '1d2h3m4s5ms', '1.5h', '2H', 'abc', '', '10', 'P1W', 'PT1H30M ', ' PT1H', 'pt1h', '1m30s', '500ms2s', '1.005s', 'P99999DT0S',
  '1d1d', '3mo', '1.2.3s', 'x5y', '5 s'];
for (let i = 0; i < 30; i++) durations.push(`P${rnd() < 0.5 ? ri(0, 400) + 'D' : ''}T${ri(0, 30)}H${ri(0, 70)}M${ri(0, 70)}${rnd() < 0.5 ? '.' + rstr('0123456789', ri(1, 4)) : ''}S`);
for (let i = 0; i < 20; i++) durations.push(`${ri(0, 9)}d${ri(0, 30)}h${ri(0, 70)}m${ri(0, 70)}s${ri(0, 999)}ms`);
const durationNumbers = [0, 1, 1.5, 2.5, 5400000, -1, NaN, Infinity, 1e21, 123456789.4, 0.49];
const eans = ['4006381333931', '96385074', '036000291452', '10012345678902', '1234567', '123456789', '12345678901', '123456789012345',
  '', 'abcdefgh', ' 96385074', '00000000', '0000000000000', '99999999999999'];
for (let i = 0; i < 20; i++) eans.push(rstr('0123456789', pick([8, 12, 13, 14])));
const eanNumbers = [4006381333931, 96385074, 0, 12, 1e14 - 1, 1e14, 1e15, -1, 1.5, NaN];
const ip4s = ['192.168.1.1', '195.169.65.66', '0.0.0.0', '255.255.255.255', '999.1.1.1', '1.2.3', '01.002.3.4', ' 1.2.3.4', '1.2.3.4 ',
  'abc', '', '1.2.3.4.5', '256.1.1.1', '1.2.3.-4', '١.٢.٣.٤'];
for (let i = 0; i < 20; i++) ip4s.push(`${ri(0, 255)}.${ri(0, 255)}.${ri(0, 255)}.${ri(0, 255)}`);
const ip6s = ['2001:db8::1', '::1', 'fe80::1', '::', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:DB8::1', '1:0:0:1:0:0:0:1',
  '1:0:0:1:0:0:1:1', '0:0:1:0:0:1:0:0', '::ffff:1.2.3.4', '::ffff:0:1.2.3.4', '1:2:3:4::1.2.3.4', 'fe80::1%eth0', 'fe80:%eth0',
  'fe80:::::%x', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1::', '1:2:3:4:5:6:7:8:9', 'gggg::1', '', 'abc',
  ' ::1', '::1 ', '12345::1', '1::2::3', '::ffff:256.1.1.1', '0000:0000:0000:0000:0000:0000:0000:0000', 'a:b:c:d:e:f:0:0'];
for (let i = 0; i < 40; i++) {
  const g = Array.from({ length: 8 }, () => (rnd() < 0.4 ? '0' : rstr('0123456789abcdef', ri(1, 4))));
  let s = g.join(':');
  if (rnd() < 0.3) s = s.toUpperCase();
  ip6s.push(s);
}

// ---------------------------------------------------------------- decoder-only inputs
function randomB62(n) { return rstr(B62, n); }
const decodeExtras = ['', '0', '-', '-1', 'undefined', 'null', 'NaN', 'ZZZZZZZZZZZZ', '!', 'a.b', 'abc def', '+1', '#12345', 'P1D',
  '00000000', 'zzzzzzzzzzzz', '-00000001', '-0000001', 'é', '0'.repeat(30), 'Z'.repeat(30)];
for (let n = 1; n <= 26; n++) for (let i = 0; i < 3; i++) decodeExtras.push(randomB62(n));
for (let i = 0; i < 10; i++) decodeExtras.push('-' + randomB62(ri(1, 9)));
// Base64 leniency inputs (Node's Buffer.from(..., 'base64')).
const b64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=. :\t\u00e9\u0141';
const b64Inputs = ['wKgBAQ==', 'wKgBAQ', 'wKgBAQ=', 'wKgB AQ==', 'wKgB.AQ==', 'wK=gBAQ==', '-_-_-_==', 'AAAAAA=A', '999.1.1.1',
  'IAENuAAAAAAAAAAAAAAAAQ==', 'IAENuAAAAAAAAAAAAAAAAQ', '/oAAAAAAAAAAAAAAAAAAAQ==', '_oAAAAAAAAAAAAAAAAAAAQ==',
  'IAENuAAAAAAAAAAAAAAAAQ=', 'IAENuAAAAAAAAAAAAAAAAQ=A', 'AAAAAAAAAAAAAAAAAAAAAAAA', '////////////////////////', 'wKgBAQ==\n',
  'ŁŁŁŁŁŁ==', 'éKgBAQ==', '2001:db8:85a3::8a2e:370', '1111:2222:3333:4444:55', 'aaaa:bbbb:cccc:dddd:eeee'];
for (let i = 0; i < 150; i++) b64Inputs.push(rstr(b64Alphabet, ri(4, 28)));
for (let i = 0; i < 60; i++) {
  const bytes = Array.from({ length: pick([4, 16]) }, () => ri(0, 255));
  b64Inputs.push(Buffer.from(bytes).toString('base64'));
}

// ---------------------------------------------------------------- run
const result = { tz: TZ, normalize: {}, encode: {}, decode: {}, iso: [], base64: [] };
async function addNormalize(type, inputs) {
  result.normalize[type] = [];
  for (const v of inputs) result.normalize[type].push({ in: enc(v), ...(await normalize(type, v)) });
}
async function addEncode(type, inputs) {
  result.encode[type] = result.encode[type] || [];
  const seen = new Set(result.encode[type].map((c) => JSON.stringify(c.in)));
  for (const v of inputs) {
    const k = JSON.stringify(enc(v));
    if (seen.has(k)) continue;
    seen.add(k);
    result.encode[type].push({ in: enc(v), ...(await encode(type, v)) });
  }
}
async function addDecode(type, inputs) {
  result.decode[type] = result.decode[type] || [];
  const seen = new Set(result.decode[type].map((c) => c.in));
  for (const v of inputs) {
    if (typeof v !== 'string' || seen.has(v)) continue;
    seen.add(v);
    result.decode[type].push({ in: v, ...(await decode(type, v)) });
  }
}

const table = {
  datetime: [...dateStrings, ...dateNumbers, ...dateDates, true, {}],
  dateonly: [...dateStrings, ...dateNumbers, ...dateDates, true],
  timeonly: [...timeStrings, ...dateDates, 5, true],
  uuid: [...uuids, 5],
  mac: [...macs, 5],
  cidr: [...cidrs, 5],
  semver: [...semvers, 5],
  phone: [...phones, 5511999998888],
  color: [...colors, 0xff8800],
  duration: [...durations, ...durationNumbers],
  ean: [...eans, ...eanNumbers, '4006381333931'.split('')],
  ip4: [...ip4s, 5],
  ip6: [...ip6s, 5],
};
for (const [type, inputs] of Object.entries(table)) {
  await addNormalize(type, inputs);
  // Encode what the validator produced (the real pipeline) and the raw strings (mapper behaviour on any text).
  const normalized = result.normalize[type].filter((c) => c.ok).map((c) => (c.out.s !== undefined ? c.out.s : c.out.n));
  await addEncode(type, [...normalized, ...inputs.filter((v) => typeof v === 'string')]);
  const encoded = result.encode[type].filter((c) => c.out && c.out.s !== undefined).map((c) => c.out.s);
  const extras = type === 'ip4' || type === 'ip6' ? [...decodeExtras, ...b64Inputs] : decodeExtras;
  await addDecode(type, [...encoded, ...inputs.filter((v) => typeof v === 'string'), ...extras]);
}
for (let i = 0; i < 200; i++) {
  const ms = i < 100 ? randomMs() : Math.round((rnd() * 2 - 1) * 8.64e15);
  const d = new Date(ms);
  if (Number.isFinite(d.getTime())) result.iso.push({ ms, iso: d.toISOString() });
}
for (const ms of [0, -1, 8.64e15, -8.64e15, -62167219200000, -62167219200001, 253402300799999, 253402300800000]) {
  result.iso.push({ ms, iso: new Date(ms).toISOString() });
}
for (const s of b64Inputs) result.base64.push({ in: s, bytes: [...Buffer.from(s, 'base64')] });

// One case per line keeps the file diffable.
const lines = ['{', `"tz": ${JSON.stringify(result.tz)},`];
for (const section of ['normalize', 'encode', 'decode']) {
  lines.push(`"${section}": {`);
  const types = Object.keys(result[section]);
  types.forEach((type, ti) => {
    lines.push(`${JSON.stringify(type)}: [`);
    const cases = result[section][type];
    cases.forEach((c, i) => lines.push(JSON.stringify(c) + (i < cases.length - 1 ? ',' : '')));
    lines.push(']' + (ti < types.length - 1 ? ',' : ''));
  });
  lines.push('},');
}
for (const section of ['iso', 'base64']) {
  lines.push(`"${section}": [`);
  result[section].forEach((c, i) => lines.push(JSON.stringify(c) + (i < result[section].length - 1 ? ',' : '')));
  lines.push(']' + (section === 'iso' ? ',' : ''));
}
lines.push('}');
process.stdout.write(lines.join('\n') + '\n');
