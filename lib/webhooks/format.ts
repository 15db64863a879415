// A message as each kind of endpoint expects it: the Standard Webhooks body `{ type, timestamp, data }`, a Slack
// incoming-webhook post `{ text }` (mrkdwn, link as <url|label>), or a Discord webhook post `{ content, embeds }`.
import type { Message } from "@/lib/notify/events";

export const FORMATS = ["standard", "slack", "discord"] as const;
export type WebhookFormat = (typeof FORMATS)[number];

const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function formatBody(format: WebhookFormat, m: Message): string {
  switch (format) {
    case "slack": {
      const lines = [
        `*${slackEscape(m.title)}*`,
        m.text !== m.title ? slackEscape(m.text) : null,
        m.why ? `Why: ${slackEscape(m.why)}` : null,
        m.action ? `:raising_hand: ${slackEscape(m.action)}` : null,
        `<${m.url}|Open in Federation>`,
      ];
      return JSON.stringify({ text: lines.filter(Boolean).join("\n") });
    }
    case "discord": {
      const description = [m.text !== m.title ? m.text : null, m.why ? `**Why:** ${m.why}` : null, m.action]
        .filter(Boolean)
        .join("\n");
      return JSON.stringify({
        content: clip(`${m.title}${m.action ? ` — ${m.action}` : ""}`, 2000),
        embeds: [
          { title: clip(m.title, 256), description: clip(description || m.text, 4096), url: m.url, timestamp: m.at },
        ],
        allowed_mentions: { parse: [] },
      });
    }
    default:
      return JSON.stringify({
        type: m.type,
        timestamp: m.at,
        data: { ...m.data, summary: m.title, text: m.text, why: m.why, action: m.action, url: m.url },
      });
  }
}
