// The leaderboard, overall or per task type.
import type { Metadata } from "next";
import { Leaderboard } from "@/components/analytics/leaderboard";
import { getPrisma } from "@/lib/db/client";
import { knownTaskTypes } from "@/lib/analytics/metrics";

export const metadata: Metadata = { title: "Leaderboard" };

export default async function LeaderboardPage() {
  return <Leaderboard taskTypes={await knownTaskTypes(getPrisma())} />;
}
