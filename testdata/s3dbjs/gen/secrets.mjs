// secrets: secret and password fields (spec §4.2, §4.5, §13.6) with passphrase "secret", including missing
// optional values stored as placeholders, and updates that keep or replace the ciphertext.
import { writeCases } from "./lib.mjs";

await writeCases([{
  case: "secrets",
  description: "secret/password fields, passphrase 'secret': all set, optional ones missing (§13.6 placeholders), " +
    "update of another field (ciphertext kept) and of the secret (re-encrypted); resource o is the §13.6 repro.",
  passphrase: "secret",
  steps: [
    {
      createResource: {
        name: "r",
        behavior: "body-overflow",
        attributes: {
          name: "string",
          token: "secret",
          apiKey: "secret|optional",
          pass: "password",
          pin: "password|optional",
          hash: "password:argon2id|optional",
        },
      },
    },
    { insert: { resource: "r", data: { id: "s1", name: "all", token: "hunter2", apiKey: "ak-ünïcödé-🔑", pass: "p4ssw0rd!", pin: "1234", hash: "argon-pw" } } },
    { insert: { resource: "r", data: { id: "s2", name: "required only", token: "t0k", pass: "pw" } } },
    { insert: { resource: "r", data: { id: "s3", name: "text forms", token: "null", apiKey: "undefined", pass: "undefined" } } },
    { insert: { resource: "r", data: { id: "s4", name: "number secret", token: 12345, pass: "x" } } },
    { update: { resource: "r", id: "s1", data: { name: "renamed" } } },
    { update: { resource: "r", id: "s2", data: { token: "new-token", apiKey: "added" } } },
    {
      createResource: {
        name: "o",
        attributes: { name: "string", when: "datetime|optional", j: "json|optional", cc: "country|optional", tok: "secret|optional" },
      },
    },
    { insert: { resource: "o", data: { id: "o1", name: "a" } } },
    { insert: { resource: "o", data: { id: "o2", name: "b", when: "2024-01-02T03:04:05.678Z", j: { k: [1] }, cc: "BR", tok: "s" } } },
  ],
}]);
