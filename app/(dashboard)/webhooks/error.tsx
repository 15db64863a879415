"use client";
// This segment failed to render: say so, offer a retry; navigation keeps working.
export { SegmentError as default } from "@/components/shell/segment-error";
