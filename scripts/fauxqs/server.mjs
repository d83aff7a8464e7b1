// Start fauxqs (an in-memory SQS emulator) for s3db-go's tests, bound to 127.0.0.1 only.
// fauxqs's own CLI listens on 0.0.0.0, which our machines forbid, so we build the Fastify app
// ourselves and choose the address.
//   node server.mjs [PORT]        (PORT defaults to $FAUXQS_PORT, then 4566)
// Health: GET http://127.0.0.1:PORT/health -> {"status":"ok"}. Stops cleanly on SIGTERM/SIGINT.
// Queue URLs are built from the request's Host header, so clients get 127.0.0.1:PORT URLs back.
import { buildApp } from "fauxqs";

const port = Number.parseInt(process.argv[2] ?? process.env.FAUXQS_PORT ?? "4566", 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`fauxqs server: invalid port ${JSON.stringify(process.argv[2] ?? process.env.FAUXQS_PORT)}`);
  process.exit(2);
}

const app = buildApp({ logger: process.env.FAUXQS_LOGGER === "true" });

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  try {
    await app.close();
  } finally {
    console.error(`fauxqs server: stopped (${signal})`);
    process.exit(0);
  }
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

try {
  const address = await app.listen({ port, host: "127.0.0.1" });
  console.error(`fauxqs server: listening on ${address}`);
} catch (err) {
  console.error(`fauxqs server: cannot listen on 127.0.0.1:${port}: ${err?.message ?? err}`);
  process.exit(1);
}
