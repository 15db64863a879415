// A card of label → value facts (an agent's or a task's details).
import { Card, CardBody } from "./card";

export function FactList({ facts, className }: { facts: [string, React.ReactNode][]; className?: string }) {
  return (
    <Card className={className}>
      <CardBody>
        <dl className="space-y-2.5 text-sm">
          {facts.map(([label, value]) => (
            <div key={label} className="flex items-center justify-between gap-4">
              <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
              <dd className="text-right text-zinc-900 dark:text-zinc-100">{value}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}
