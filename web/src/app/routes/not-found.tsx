import { Link } from 'wouter'
import { CompassIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useDocumentTitle } from '@/hooks/use-document-title'
import { paths } from '@/config/paths'

/** NotFoundRoute is the 404 page. */
export default function NotFoundRoute() {
  useDocumentTitle('Page not found')
  return (
    <div className="grid min-h-[60vh] place-items-center text-center">
      <div className="grid max-w-md justify-items-center gap-4">
        <div className="grid size-16 place-items-center rounded-2xl bg-primary/10 text-primary">
          <CompassIcon className="size-8" aria-hidden="true" />
        </div>
        <p className="font-display text-6xl font-semibold text-gradient">404</p>
        <h1 className="font-display text-2xl font-semibold">Page not found</h1>
        <p className="text-muted-foreground">The page you're looking for doesn't exist or you don't have access to it.</p>
        <Button asChild>
          <Link href={paths.dashboard}>Back to dashboard</Link>
        </Button>
      </div>
    </div>
  )
}
