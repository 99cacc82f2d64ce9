import { Link } from 'wouter'
import { Logo } from '@/components/logo'
import { ThemeToggle } from '@/components/theme-toggle'
import { paths } from '@/config/paths'
import { StatusOverview } from '@/features/status/components/status-overview'
import { useDocumentTitle } from '@/hooks/use-document-title'

/** StatusRoute is the public status page: anyone may read it, signed in or not. */
export default function StatusRoute() {
  useDocumentTitle('Service status')
  return (
    <div className="mx-auto grid min-h-dvh w-full max-w-2xl content-start gap-6 p-4 sm:p-8">
      <header className="flex items-center justify-between">
        <Link href={paths.dashboard} aria-label="vfpanel home" className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
          <Logo />
        </Link>
        <ThemeToggle />
      </header>
      <h1 className="font-display text-2xl font-semibold">Service status</h1>
      <StatusOverview />
    </div>
  )
}
