import { Skeleton } from '@/components/ui/skeleton'

/** PageFallback is the skeleton shown while a page's code loads. */
export function PageFallback() {
  return (
    <div className="grid gap-4" aria-busy="true" aria-label="Loading page">
      <Skeleton className="h-9 w-48" />
      <Skeleton className="h-4 w-72" />
      <div className="grid gap-4 md:grid-cols-3">
        <Skeleton className="h-40" />
        <Skeleton className="h-40 md:col-span-2" />
      </div>
    </div>
  )
}
