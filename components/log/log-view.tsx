"use client";
// The audit log, live: new events appear within two seconds; filters and "load older" paging.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, QueryError, Skeletons } from "@/components/ui/feedback";
import { Input } from "@/components/ui/form";
import { api } from "@/lib/client/api";
import type { EventDto } from "@/lib/audit/schema";
import type { Page } from "@/lib/http/list";
import { EventList } from "./event-list";
import { logKeys } from "@/components/live/keys";

interface Filters {
  actor: string;
  action: string;
  subject: string;
}

function queryString(filters: Filters, cursor?: string): string {
  const params = new URLSearchParams({ limit: "50" });
  for (const [k, v] of Object.entries(filters)) if (v.trim()) params.set(k, v.trim());
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

export function LogView({ initial }: { initial: Page<EventDto> }) {
  const [filters, setFilters] = useState<Filters>({ actor: "", action: "", subject: "" });
  const unfiltered = !filters.actor && !filters.action && !filters.subject;
  const log = useInfiniteQuery({
    queryKey: logKeys.filtered(filters),
    queryFn: ({ pageParam }) => api<Page<EventDto>>(`/log?${queryString(filters, pageParam)}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: unfiltered ? { pages: [initial], pageParams: [undefined] } : undefined,
  });
  const events = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card>
      <CardHeader
        title="Events"
        description="Every change, who made it and when. Updates live."
        actions={
          <a href="/api/v1/log.md" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            FEDERATION_LOG.md
          </a>
        }
      />
      <form
        className="grid gap-3 border-b border-zinc-200 px-5 py-3 sm:grid-cols-3 dark:border-zinc-800"
        onSubmit={(e) => e.preventDefault()}
        role="search"
      >
        {(["actor", "action", "subject"] as const).map((key) => (
          <label key={key} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="mb-1 block capitalize">{key}</span>
            <Input
              value={filters[key]}
              placeholder={key === "actor" ? "claude, admin@…" : key === "action" ? "agent." : "agent:claude"}
              onChange={(e) => setFilters((f) => ({ ...f, [key]: e.target.value }))}
            />
          </label>
        ))}
      </form>
      <QueryError error={log.error} what="the log" className="m-5" />
      {log.isPending ? (
        <Skeletons count={3} row="h-5" className="space-y-3 p-5" />
      ) : events.length === 0 ? (
        <EmptyState title={unfiltered ? "No events yet" : "No events match these filters"} />
      ) : (
        <>
          <EventList events={events} />
          {log.hasNextPage && (
            <div className="border-t border-zinc-200 px-5 py-3 text-center dark:border-zinc-800">
              <Button
                variant="secondary"
                size="sm"
                onClick={() => log.fetchNextPage()}
                loading={log.isFetchingNextPage}
              >
                Load older events
              </Button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
