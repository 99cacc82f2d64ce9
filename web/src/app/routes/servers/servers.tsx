import { Link } from 'wouter'
import { PlusIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { PageHeader } from '@/components/page-header'
import { paths } from '@/config/paths'
import { ServerList } from '@/features/servers/components/server-list'

/** ServersRoute lists every server with search and filters. */
export default function ServersRoute() {
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Servers"
        description="Everything you run, with live status."
        actions={
          <Button asChild>
            <Link href={paths.deploy}>
              <PlusIcon aria-hidden="true" /> Deploy server
            </Link>
          </Button>
        }
      />
      <ServerList />
    </div>
  )
}
