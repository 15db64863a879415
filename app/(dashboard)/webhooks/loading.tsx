// Loading state of this segment: the page skeleton.
export { PageSkeleton as default } from "@/components/shell/page-skeleton";
