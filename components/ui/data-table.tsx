// A table written as columns: each column's header and how a row fills its cell; numeric columns align right
// with tabular figures. The plain Table parts (./table) stay for tables with richer rows.
import type { ReactNode } from "react";
import { cn } from "./cn";
import { Table, Tbody, Td, Thead } from "./table";

export interface Column<R> {
  header: string;
  cell: (row: R) => ReactNode;
  numeric?: boolean;
  className?: string;
}

const NUMERIC = "text-right tabular-nums";

export function DataTable<R>({
  label,
  columns,
  rows,
  rowKey,
}: {
  label: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R, index: number) => string;
}) {
  return (
    <Table aria-label={label}>
      <Thead columns={columns.map((c) => c.header)} numeric={columns.filter((c) => c.numeric).map((c) => c.header)} />
      <Tbody>
        {rows.map((row, r) => (
          <tr key={rowKey(row, r)}>
            {columns.map((c, i) => (
              <Td key={i} className={cn(c.numeric && NUMERIC, c.className)}>
                {c.cell(row)}
              </Td>
            ))}
          </tr>
        ))}
      </Tbody>
    </Table>
  );
}
