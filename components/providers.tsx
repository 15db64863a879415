"use client";
// Client-side providers: TanStack Query with defaults suited to live dashboards.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { OfflineError } from "@/lib/client/api";
import { pollInterval, refetchOnMount } from "@/components/live/live-updates";

/**
 * `pollMs` is the fallback refresh while the live stream is down (FED_POLL_MS); while it is up, changes arrive by
 * push and queries refresh at most every 30 s on their own. A server that cannot be reached is not retried per
 * query: the connection banner covers it and the next poll tries again.
 */
export function Providers({ children, pollMs }: { children: React.ReactNode; pollMs: number }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 1_000,
            refetchOnWindowFocus: true,
            refetchOnMount,
            refetchInterval: pollInterval(pollMs),
            retry: (count, error) => !(error instanceof OfflineError) && count < 1,
          },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
