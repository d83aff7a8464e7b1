// Reads what Go wrote and checks it with s3db.js 21.6.2 (used by codec's TestNodeInterop):
//
//   /work/shared/tools/s3dbjs/run.sh codec/testdata/gen/decrypt.mjs input.json > output.json
//
// input:  {"secrets": [{"passphrase", "stored"}], "passwords": [{"hash", "plain"}], "meta": ["stored text"]}
// output: {"secrets": [plaintext | {"error": message}], "passwords": [bool], "meta": [{"kind", "text"}]}
// Secrets go through crypto.js decrypt, passwords through password-hashing.js verifyPassword, metadata
// values through the S3 client's getObject decoding (a fake AWS client returns them).
import { readFileSync } from 'node:fs';

const DIST = '/tmp/s3dbjs/app/node_modules/s3db.js/dist';
const { decrypt } = await import(`${DIST}/concerns/crypto.js`);
const { verifyPassword } = await import(`${DIST}/concerns/password-hashing.js`);
const { S3Client } = await import(`${DIST}/clients/s3-client.class.js`);

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const secrets = [];
for (const { passphrase, stored } of input.secrets ?? []) {
  try {
    secrets.push(await decrypt(stored, passphrase));
  } catch (e) {
    secrets.push({ error: String(e.message ?? e) });
  }
}

const passwords = [];
for (const { hash, plain } of input.passwords ?? []) passwords.push(await verifyPassword(plain, hash));

let stored;
const client = new S3Client({
  connectionString: 's3://AKIA:SECRET@bucket',
  AwsS3Client: { send: async () => ({ Metadata: { v: stored } }) },
});
const meta = [];
for (const s of input.meta ?? []) {
  stored = s;
  const v = (await client.getObject('k')).Metadata.v;
  meta.push(v === null ? { kind: 'null' } : v === undefined ? { kind: 'undefined' } : { kind: 'text', text: v });
}

process.stdout.write(JSON.stringify({ secrets, passwords, meta }) + '\n');
