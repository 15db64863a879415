// The outbox (issue 24.3): one event that cannot be told — its message fails to build — is logged and skipped; the
// events beside it in the batch are still told, and the outbox does not keep the bad one in front of the rest.
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { drainOutbox } from "@/lib/notify/outbox";
import { notifyOnce } from "@/lib/notify/loop";
import { startReceiver } from "./helpers/receiver";
import { seededFederation } from "./helpers/fixtures";

vi.mock("@/lib/notify/events", async (original) => {
  const real = await original<typeof import("@/lib/notify/events")>();
  return {
    ...real,
    messageOf: async (...args: Parameters<typeof real.messageOf>) => {
      if (args[1].subject.includes("poison")) throw new Error("cannot build this message");
      return real.messageOf(...args);
    },
  };
});

const fed = seededFederation();
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  process.env.FED_WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
  receiver = await startReceiver();
});
afterEach(async () => {
  await fed.db.prisma.webhookEndpoint.deleteMany({});
  await drainOutbox(fed.db.prisma);
});
afterAll(async () => {
  await receiver.close();
  delete process.env.FED_WEBHOOK_ALLOW_HOSTS;
});

test("an event whose message cannot be built is skipped and logged; the rest of its batch is told", async () => {
  await drainOutbox(fed.db.prisma);
  const ep = await fed.db.prisma.webhookEndpoint.create({
    data: {
      id: "wh_outbox",
      url: receiver.url,
      events: ["task.failed"],
      secret: "whsec_dGVzdHRlc3R0ZXN0dGVzdA==",
      createdBy: "test",
    },
  });
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await fed.db.prisma.$executeRaw`
      INSERT INTO audit_events (actor, action, subject, details) VALUES
        ('system', 'task.failed', 'task:before', '{}'),
        ('system', 'task.failed', 'task:poison', '{}'),
        ('system', 'task.failed', 'task:after', '{}')`;
    await notifyOnce(fed.db.prisma);
    expect(await fed.db.prisma.notificationOutbox.count()).toBe(0);
    const made = await fed.db.prisma.webhookDelivery.findMany({ where: { endpointId: ep.id } });
    expect(made).toHaveLength(2);
    await receiver.waitFor(() => true, 2);
    const subjects = receiver.received.map((r) => (JSON.parse(r.body) as { data: { subject: string } }).data.subject);
    expect(subjects.sort()).toEqual(["task:after", "task:before"]);
    expect(errors.mock.calls.flat().join(" ")).toMatch(/task\.failed.*could not be told/);
  } finally {
    errors.mockRestore();
  }
});
