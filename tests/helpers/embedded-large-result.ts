// Run in its own process by tests/embedded.test.ts (a regression could spin the event loop forever, which no
// in-process timeout can stop): a large result through the embedded server, whose rows hold "A" next to
// multi-byte characters, so the response is cut into chunks mid-row with 0x41 bytes where a misaligned parser
// would look for a message. Prints the row count and total length it received.
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";

const db = await startEmbeddedDatabase();
const listener = new pg.Client({ connectionString: db.url });
await listener.connect();
await listener.query("LISTEN federation_test");
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const { rows } = await client.query<{ a: string }>(
  "SELECT repeat('Aé“A', 1 + g % 97) || g AS a FROM generate_series(1, 30000) g",
);
process.stdout.write(`${rows.length} ${rows.reduce((n, r) => n + r.a.length, 0)}\n`);
await client.end();
await listener.end();
await db.stop();
