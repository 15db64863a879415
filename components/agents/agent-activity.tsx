"use client";
// Recent audit events about one agent, refreshed live.
import { useQuery } from "@tanstack/react-query";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, Spinner } from "@/components/ui/feedback";
import { EventList } from "@/components/log/event-list";
import { agentKeys, fetchAgentActivity } from "./queries";

export function AgentActivity({ agent }: { agent: string }) {
  const events = useQuery({
    queryKey: agentKeys.activity(agent),
    queryFn: () => fetchAgentActivity(agent),
  });
  return (
    <Card>
      <CardHeader title="Activity" description="Changes to this agent, newest first." />
      {events.isPending ? (
        <div className="p-5">
          <Spinner />
        </div>
      ) : events.data?.length ? (
        <EventList events={events.data} />
      ) : (
        <EmptyState title="Nothing yet" />
      )}
    </Card>
  );
}
