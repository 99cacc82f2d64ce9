import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/api-client'
import { useRebuildSearchIndex } from '../api/search-index'

/** RebuildIndexButton backfills the user search index (accounts made before it are otherwise not found). */
export function RebuildIndexButton() {
  const m = useRebuildSearchIndex()
  return (
    <Button
      variant="outline"
      className="min-h-10"
      disabled={m.isPending}
      onClick={() =>
        m.mutate(undefined, {
          onSuccess: (r) => toast.success(`Search index rebuilt for ${r.users} users.`),
          onError: (err) => toast.error(errorMessage(err)),
        })
      }
    >
      {m.isPending ? 'Rebuilding…' : 'Rebuild search index'}
    </Button>
  )
}
