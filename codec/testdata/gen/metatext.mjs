// Generates codec/testdata/metatext.json: the expected outputs of s3db.js 21.6.2 for the codec's
// metadata text encoding, names, sizes, JSON text, secrets, passwords and ids.
//
//   /work/shared/tools/s3dbjs/run.sh codec/testdata/gen/metatext.mjs [out.json]
//
// Metadata values and names go through the real S3 client (a fake AWS client captures what
// putObject would send and feeds stored texts to getObject). Strings that are not well-formed
// UTF-16 are written as {"wtf8": hex} (see the WTF-8 note in codec/jsjson.go); numbers inside
// value descriptions as ["num", hex of the IEEE-754 bits]. Random inputs come from a seeded PRNG,
// so reruns give the same inputs (ciphertexts and hashes differ, being random).
import { writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import jsonStableStringify from 'json-stable-stringify';

const DIST = '/tmp/s3dbjs/app/node_modules/s3db.js/dist';
const { S3Client } = await import(`${DIST}/clients/s3-client.class.js`);
const { calculateUTF8Bytes, transformValue } = await import(`${DIST}/concerns/calculator.js`);
const { encrypt, decrypt } = await import(`${DIST}/concerns/crypto.js`);
const { hashPassword, compactHash, verifyPassword, isPasswordHash } = await import(`${DIST}/concerns/password-hashing.js`);
const { encodeBase85 } = await import(`${DIST}/concerns/text-compression.js`);
const { validateS3KeySegment } = await import(`${DIST}/concerns/s3-key.js`);

const out = process.argv[2] ?? new URL('../metatext.json', import.meta.url).pathname;

// ---- helpers -------------------------------------------------------------------------------
let seed = 0x5eed1234;
function rnd() { // mulberry32
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const randInt = (n) => Math.floor(rnd() * n);

function wtf8Hex(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(bytes).toString('hex');
}
// S: a string as JSON, or {"wtf8": hex} when it holds lone surrogates.
const S = (s) => (typeof s !== 'string' ? s : s.isWellFormed() ? s : { wtf8: wtf8Hex(s) });
function numHex(n) {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, n);
  return dv.getBigUint64(0).toString(16).padStart(16, '0');
}

// Value descriptions (D) <-> JS values. ["null"], ["bool", b], ["num", hex], ["str", S],
// ["arr", [D...]], ["obj", [[S, D]...]] (insertion order).
function build(d) {
  switch (d[0]) {
    case 'null': return null;
    case 'bool': return d[1];
    case 'num': { const dv = new DataView(new ArrayBuffer(8)); dv.setBigUint64(0, BigInt('0x' + d[1])); return dv.getFloat64(0); }
    case 'str': return d[1];
    case 'arr': return d[1].map(build);
    case 'obj': { const o = {}; for (const [k, v] of d[1]) o[k] = build(v); return o; }
  }
  throw new Error('bad description ' + d[0]);
}
function describe(d) { // strings inside made JSON-safe
  switch (d[0]) {
    case 'str': return ['str', S(d[1])];
    case 'arr': return ['arr', d[1].map(describe)];
    case 'obj': return ['obj', d[1].map(([k, v]) => [S(k), describe(v)])];
    default: return d;
  }
}
const N = (n) => ['num', numHex(n)];
const T = (s) => ['str', s];
const A = (...xs) => ['arr', xs];
const O = (...kv) => ['obj', kv];

// ---- string pools ---------------------------------------------------------------------------
const pools = {
  ascii: ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
  latin1: 'àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÉÎÕÜß',
  control: '\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f\u007f',
  bmp: '日本語テキスト中文한국어ĀŁřŽЖжΩαβγ€™•…‘’“”\u2028\u2029\ufeff\ufffd\uffff\ue000',
  astral: ['😀', '🎉', '𝄞', '🇧🇷', '👍🏽', '\u{10ffff}', '\u{1f600}'],
  lone: ['\ud800', '\udbff', '\udc00', '\udfff'],
};
function randomString(kind, maxLen = 24) {
  const len = randInt(maxLen + 1);
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rnd();
    if (kind === 'ascii' || r < 0.55) s += pick(pools.ascii);
    else if (kind === 'latin1' || r < 0.7) s += pick(pools.latin1);
    else if (r < 0.78) s += pick(pools.control);
    else if (r < 0.9) s += pick(pools.bmp);
    else if (r < 0.97 || kind !== 'lone') s += pick(pools.astral);
    else s += pick(pools.lone);
  }
  return s;
}

// ---- the real client through a fake AWS SDK client ------------------------------------------
let captured;
let toReturn;
const fake = { send: async (cmd) => { captured = cmd.input; return { Metadata: toReturn, ETag: '"x"' }; } };
const client = new S3Client({ connectionString: 's3://AKIA:SECRET@bucket', AwsS3Client: fake });

async function clientEncode(value) {
  try {
    await client.putObject({ key: 'k', metadata: { v: value } });
  } catch (e) {
    return { error: String(e.original?.name ?? e.name ?? e) };
  }
  const enc = captured.Metadata.v;
  return enc === undefined ? { dropped: true } : { enc };
}
async function clientDecode(stored) {
  toReturn = { v: stored };
  const res = await client.getObject('k');
  const v = res.Metadata.v;
  if (v === null) return { kind: 'null' };
  if (v === undefined) return { kind: 'undefined' };
  return { kind: 'text', text: S(v) };
}
async function clientName(name) {
  await client.putObject({ key: 'k', metadata: { [name]: 'x' } });
  return Object.keys(captured.Metadata)[0];
}

// ---- metadata values --------------------------------------------------------------------------
const examples = [
  '', 'hello', 'b:hello', 'd:p', 'z:abc', 'u:x', 'z85:abc', 'd:', 'u:', 'b:', 'z:', 'z85:', 'z8', 'z85', 'd', 'b',
  'null', 'undefined', 'NULL', 'Null', 'true', 'false', '0', '1', '200', 'active', 'N/A',
  'processing', 'application/json', 'font/woff2', 'font/woff', 'failed', 'in_transit',
  'https://example.com/ada', 'http://localhost:8080/x', '/api/v1/users', '/v1/x', '/v1/', '/api/v1/',
  'https://', 'http://', 'https://s3.amazonaws.com/', 'https://s3.amazonaws.com/bucket/key', 'https://s3-eu-west-1',
  'https://api.example.com/x', 'https://api.github.com', 'https://www.google.com', 'http://localhost',
  'http://localhost:3000', '/products/42', '/users/7', '/api/x', '/api/v2/a', '/api/v3/b',
  'https://example.com/café', 'https://example.com/a b', 'https://example.com/\n', '/users/日本',
  'café', 'São Paulo', 'ÀÉÎÕÜ', '日本語テキスト', 'a\tb', '😀😀', 'x😀yyyyyy', 'ab\u0000c', 'a\u007fb',
  'Ünïcödé', 'naïve café résumé', 'ÿ', '\u00ff\u00ff', 'aé', 'aaé', 'ééa', 'éa', '€', 'a€aa', 'a€aaa',
  ' leading', 'trailing ', '  ', '\n', '\r\n', '\ufeffbom', '\u2028', 'x'.repeat(300), 'é'.repeat(300),
  'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable',
  'toLocaleString', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
  '[object Object]', '{"a":1}', '[1,2]', '100%', 'a%20b', '%E0%A4%A', "!~*'()-_.", 'a+b=c/d',
  'lone \ud800 high', 'lone \udc00 low', '\ud800', '\udfff\ud800', 'mostly \ud800\ud801\ud802\ud803',
  'éé\ud800', 'pair 😀 and lone \ud83d',
];
const stringInputs = [...examples];
for (const kind of ['ascii', 'latin1', 'mixed', 'lone']) {
  for (let i = 0; i < 150; i++) stringInputs.push(randomString(kind));
}
for (let i = 0; i < 100; i++) {
  const prefix = pick(['d:', 'u:', 'b:', 'z:', 'z85:', 'https://', 'http://localhost:', '/api/v1/', '/v1/', '']);
  stringInputs.push(prefix + randomString('mixed', 12));
}

const meta = [];
for (const s of stringInputs) {
  const e = await clientEncode(s);
  const row = { in: S(s), ...e };
  if (e.enc !== undefined) row.enc = S(e.enc);
  if (e.enc !== undefined) row.back = await clientDecode(e.enc);
  meta.push(row);
}

// Non-string values as the client turns them into text.
const valueInputs = [
  ['null'], ['bool', true], ['bool', false], N(0), N(-0), N(1.5), N(-7), N(1e21), N(1e-7), N(123456.789),
  N(NaN), N(Infinity), N(-Infinity), N(2 ** 53 + 2), N(0.1 + 0.2),
  A(), A(T('a'), T('b')), A(N(1), ['null'], T('x')), A(A(T('a'), T('b')), T('c')), A(O()),
  O(), O(['a', N(1)]), A(T('d:x')), A(T('café')),
];
const metaValues = [];
for (const d of valueInputs) {
  const e = await clientEncode(build(d));
  metaValues.push({ value: describe(d), ...e });
}

// Stored texts as read back: every kind of prefix, well-formed and damaged.
const decodeInputs = [
  'null', 'undefined', 'b:', 'u:', 'z:', 'z85:', 'd:', 'd:@', 'd:@s', 'd:@sfoo', 'd:@vx', 'd:@zz', 'd:ff', 'd:f',
  'd:j', 'd:X', 'd:?', 'd:@1users', 'd:function Object() { [native code] }', 'd:function toString() { [native code] }',
  'b:!!!', 'b:YjpoZWxsbw==', 'b:YQ', 'b:YQ==YQ==', 'b:Y Q = =', 'b:YR==', 'b:ŁŁŁŁ', 'b:YWŁJj', 'b:řWJj', 'b:YW-_',
  'b:YQĽYQ', 'b:ééYWJj', 'b:😀YWJj', 'b:/w==', 'b:7aCA', 'b:4oJB', 'b:77u/YQ==',
  'u:caf%C3%A9', 'u:%', 'u:%E0%A4%A', 'u:%ED%A0%80', 'u:a%2', 'u:%C0%AF', 'u:%F4%90%80%80', 'u:%F0%9F%98%80',
  'u:%f0%9f%98%80', 'u:%41%42', 'u:%2', 'u:%zz', 'u:%E2%82', 'u:%E2%82%AC', 'u:%C3', 'u:%C3%A9%', 'u:+%20+',
  'u:%EF%BF%BD', 'u:%FF', 'u:%80', 'u:é%C3%A9', 'u:😀', 'u:%F8%88%80%80%80',
  'z:' + deflateRawSync(Buffer.from('hello hello hello hello')).toString('base64'),
  'z85:' + encodeBase85(deflateRawSync(Buffer.from('hello hello hello hello'))),
  'z:AQAA//8=', 'z:!!!', 'z:AAAA', 'z85:!!!!!', 'z85:~~~~~', 'z85:é',
  'plain', 'a:b', 'B:YQ==', 'U:%41', 'x', 'ü', 'bé', 'b', 'u',
];
const deflateTexts = ['hello hello hello hello', 'café ☕ '.repeat(20), '', 'x', '\ufeffbom', '😀'.repeat(50), 'a\u0000b'];
for (const t of deflateTexts) {
  const raw = deflateRawSync(Buffer.from(t));
  for (const variant of [raw, raw.subarray(0, Math.max(0, raw.length - 3)), Buffer.concat([raw, Buffer.from('junk')]),
    Buffer.from(raw.map((b, i) => (i === 2 ? b ^ 0x55 : b)))]) {
    decodeInputs.push('z:' + variant.toString('base64'));
    decodeInputs.push('z85:' + encodeBase85(variant));
  }
}
// Invalid UTF-8 inside deflate and base64 payloads (WHATWG replacement).
for (const bytes of [[0xe2, 0x82, 0x41], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xff, 0xc0, 0xaf], [0xef, 0xbb, 0xbf, 0x61], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0xaf]]) {
  decodeInputs.push('b:' + Buffer.from(bytes).toString('base64'));
  decodeInputs.push('z:' + deflateRawSync(Buffer.from(bytes)).toString('base64'));
  decodeInputs.push('z85:' + encodeBase85(deflateRawSync(Buffer.from(bytes))));
}
const b64junk = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \t\n!.é\u0141\u0159\u013d\u0100\u20ac😀';
const urlJunk = ['%', '%2', '%41', '%C3', '%A9', '%E2', '%82', '%AC', '%F0', '%9F', '%98', '%80', '%ZZ', 'a', 'é', '😀', '\ud800', '+', ' '];
const b85junk = '!#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~"\'\\` é😀';
for (let i = 0; i < 300; i++) {
  let p = '';
  const len = randInt(16);
  for (let j = 0; j < len; j++) p += pick([...b64junk]);
  decodeInputs.push('b:' + p);
}
for (let i = 0; i < 300; i++) {
  let p = '';
  const len = randInt(10);
  for (let j = 0; j < len; j++) p += pick(urlJunk);
  decodeInputs.push('u:' + p);
}
for (let i = 0; i < 150; i++) {
  const raw = deflateRawSync(Buffer.from(randomString('mixed', 30)));
  let p = encodeBase85(raw);
  if (rnd() < 0.5) { const k = randInt(p.length + 1); p = p.slice(0, k) + pick([...b85junk]) + p.slice(k + 1); }
  decodeInputs.push('z85:' + p);
}
for (let i = 0; i < 100; i++) {
  const raw = Buffer.from(deflateRawSync(Buffer.from(randomString('mixed', 30))));
  if (rnd() < 0.6) raw[randInt(raw.length)] ^= 1 << randInt(8);
  decodeInputs.push('z:' + raw.toString('base64'));
}
for (let i = 0; i < 200; i++) decodeInputs.push(randomString('lone', 12));
const decode = [];
for (const s of decodeInputs) decode.push({ in: S(s), ...(await clientDecode(s)) });

// ---- names ------------------------------------------------------------------------------------
const nameInputs = ['fooBar', 'weird key!', 'nested.deep', 'UPPER_case-ok', '', 'x😀', 'é', 'a\u0000b', 'ÀÉ', '_v',
  '$overflow', '$truncated', 'createdAt', 'profile.city', '\ud800x', '日本'];
for (let i = 0; i < 150; i++) nameInputs.push(randomString(i % 2 ? 'mixed' : 'lone', 16) || 'k');
const names = [];
for (const n of nameInputs) {
  if (n === '__proto__') continue;
  names.push({ in: S(n), out: await clientName(n) });
}

// ---- JSON values ----------------------------------------------------------------------------
const numbers = [0, -0, 1, -1, 1.5, 0.1, 0.1 + 0.2, 1e21, 1e-7, 1.5e-7, 123456789012, 2 ** 53, 2 ** 53 + 2, -1e-300,
  5e-324, 1.7976931348623157e308, NaN, Infinity, -Infinity, 100, 1e20, 123e-20, 0.000001, 0.0000001];
const keysPool = ['a', 'b', 'z', 'A', '0', '1', '2', '10', '01', '-1', '1.5', '4294967294', '4294967295', '9999999999',
  '_v', '', ' ', 'é', '😀', '\ue000', '\uffff', 'aa', 'a\u0000', '\ud800'];
function randomValue(depth) {
  const r = rnd();
  if (depth > 3 || r < 0.45) {
    const s = rnd();
    if (s < 0.1) return ['null'];
    if (s < 0.2) return ['bool', rnd() < 0.5];
    if (s < 0.5) return N(rnd() < 0.5 ? pick(numbers) : (rnd() - 0.5) * 10 ** randInt(25));
    return T(randomString(rnd() < 0.2 ? 'lone' : 'mixed', 10));
  }
  if (r < 0.7) {
    const n = randInt(5);
    return ['arr', Array.from({ length: n }, () => randomValue(depth + 1))];
  }
  const n = randInt(6);
  const kv = [];
  for (let i = 0; i < n; i++) kv.push([rnd() < 0.7 ? pick(keysPool) : randomString('mixed', 5), randomValue(depth + 1)]);
  return ['obj', kv];
}
let controls = '';
for (let c = 0; c < 0x20; c++) controls += String.fromCharCode(c);
const jsonInputs = [
  ['null'], ['bool', true], T(''), T(controls + '\u007f"\\/\u2028\u2029<>&\ud800\udc00\udbff'), ...numbers.map(N),
  O(['b', N(1)], ['2', N(2)], ['a', N(3)], ['1', N(4)], ['01', N(5)], ['-1', N(6)], ['4294967294', N(7)], ['4294967295', N(8)], ['10', N(9)], ['1.5', N(10)]),
  O(['z', T('x')], ['z', T('y')], ['a', T('b')]),
  O(['name', T('string|required')], ['profile', O(['zip', T('string|optional')], ['city', T('string')])], ['tags', T('array|items:string')]),
  A(A(), O(), ['null'], A(['null'])),
  O(['😀', N(1)], ['\uffff', N(2)], ['\ue000', N(3)], ['a', N(4)]),
];
for (let i = 0; i < 250; i++) jsonInputs.push(randomValue(0));
const json = [];
for (const d of jsonInputs) {
  const v = build(d);
  json.push({ value: describe(d), js: S(JSON.stringify(v)), stable: S(jsonStableStringify(v)) });
}

// ---- sizes (calculator.js) --------------------------------------------------------------------
const sizeInputs = [['null'], ['bool', true], ['bool', false], T(''), T('abc'), T('é'), T('日本'), T('😀'), T('\ud800'), T('\ud800\ud800x'),
  N(1.5), N(-0), N(1e21), N(NaN), A(), A(T('a'), T('b')), A(N(1), ['null'], A(T('x'), ['null'])), O(), O(['a', T('é')]),
  ...jsonInputs.slice(-80)];
const sizes = sizeInputs.map((d) => ({ value: describe(d), size: calculateUTF8Bytes(transformValue(build(d))) }));

// ---- secrets ------------------------------------------------------------------------------------
const plaintexts = ['hunter2', '', 'null', 'undefined', 'café ☕', '😀 emoji', '\ufeffbom first', 'x'.repeat(5000),
  'lone \ud800 surrogate', 'a\u0000b', '{"json":true}'];
const secrets = [];
for (const pass of ['secret', 'demo-passphrase', 'pässwörd 🔑']) {
  for (const p of plaintexts) {
    const stored = await encrypt(p, pass);
    secrets.push({ passphrase: S(pass), plaintext: S(p), stored, decrypted: S(await decrypt(stored, pass)) });
  }
}

// ---- passwords ----------------------------------------------------------------------------------
const passwords = [];
for (const [plain, opts] of [['hunter2', {}], ['pässwörd 🔑', {}], ['x'.repeat(100), {}], ['hunter2', { algorithm: 'argon2id' }],
  ['another one', { algorithm: 'argon2id' }]]) {
  const full = await hashPassword(plain, opts);
  const hash = compactHash(full);
  passwords.push({ plain: S(plain), full, hash, algorithm: opts.algorithm ?? 'bcrypt', verified: await verifyPassword(plain, hash) });
}
const isHash = ['', '$', '$$', '$a$', '$c$abc', '$2b$12$' + 'a'.repeat(53), '$2b$12$short', '$argon2id$x', '$x|y', 'plain', '$|', 'a$b$c', '$1$'];
const isPasswordHashRows = isHash.map((s) => ({ in: s, out: isPasswordHash(s) }));

// ---- ids ------------------------------------------------------------------------------------------
const idInputs = ['abc', 'a/b', 'a\\b', 'a=b', 'a%b', 'é', 'x=y/z', '%/', 'SGf7PWU5gDja_MWmsSln0t', 'a b', 'a.b'];
const ids = idInputs.map((id) => {
  try { validateS3KeySegment(id, 'id'); return { in: id, error: null }; } catch (e) { return { in: id, error: e.message }; }
});

writeFileSync(out, JSON.stringify({ meta, metaValues, decode, names, json, sizes, secrets, passwords, isPasswordHash: isPasswordHashRows, ids }, null, 1) + '\n');
console.error(`wrote ${out}: ${meta.length} meta, ${metaValues.length} values, ${decode.length} decode, ${names.length} names, ${json.length} json, ${sizes.length} sizes, ${secrets.length} secrets, ${passwords.length} passwords`);
