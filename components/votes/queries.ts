// Query keys and calls for the voting booth.
import { api } from "@/lib/client/api";
import type { Page } from "@/lib/http/list";
import type { CreateVoteInput, VoteDto, VoteStatus } from "@/lib/voting/schema";

import { voteKeys } from "@/components/live/keys";

export { voteKeys };

export const fetchVotes = (status: VoteStatus | "", limit = 50) =>
  api<Page<VoteDto>>(`/votes?limit=${limit}${status ? `&status=${status}` : ""}`);
export const fetchVote = (id: string) => api<VoteDto>(`/votes/${id}`);
export const openVote = (body: CreateVoteInput) => api<VoteDto>("/votes", { body });
export const resolveVote = (id: string) => api<VoteDto>(`/votes/${id}/resolve`, { method: "POST" });
export const reopenVote = (id: string, body: { closesAt?: string; note?: string }) =>
  api<VoteDto>(`/votes/${id}/reopen`, { body });
