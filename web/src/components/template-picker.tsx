import { useMemo, useState } from 'react'
import { SearchIcon } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Input } from '@/components/ui/input'
import { RadioCard, RadioGroup } from '@/components/ui/radio-group'
import { Skeleton } from '@/components/ui/skeleton'
import { OsIcon } from '@/components/os-icon'
import type { TemplateGroup } from '@/types/api'

/** osSubtitle is the same kind of line under every OS: its edition ("Minimal", "Server") or, without one, its family ("Linux"). */
function osSubtitle(t: { variant: string; type: string }) {
  const s = t.variant || t.type || 'Standard'
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** TemplatePicker chooses one OS template; each distro shows its logo. */
export function TemplatePicker({
  groups,
  value,
  onChange,
  label = 'Operating system',
  loading,
}: {
  groups: TemplateGroup[] | undefined
  value: number | undefined
  onChange: (id: number) => void
  label?: string
  loading?: boolean
}) {
  const [q, setQ] = useState('')
  const filtered = useMemo(() => {
    const needle = q.trim().toLowerCase()
    return (groups ?? [])
      .map((g) => ({
        ...g,
        templates: g.templates.filter((t) => !needle || `${g.name} ${t.name} ${t.version} ${t.variant}`.toLowerCase().includes(needle)),
      }))
      .filter((g) => g.templates.length > 0)
  }, [groups, q])

  if (loading || !groups)
    return (
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true" aria-label="Loading operating systems">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-20" />
        ))}
      </div>
    )

  return (
    <div className="grid gap-4">
      {(groups.reduce((n, g) => n + g.templates.length, 0) > 6) && (
        <div className="relative max-w-sm">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
          <Input type="search" aria-label="Search operating systems" placeholder="Search operating systems" className="pl-9" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      )}
      <RadioGroup
        aria-label={label}
        value={value ? String(value) : ''}
        onValueChange={(v) => onChange(Number(v))}
        className="grid gap-5"
      >
        {filtered.map((g) => (
          <div key={g.id} className="grid gap-2" role="presentation">
            <p className="flex items-center gap-2 text-sm font-medium text-muted-foreground">
              <OsIcon icon={g.icon} className="size-4" /> {g.name}
            </p>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {g.templates.map((t) => (
                <RadioCard
                  key={t.id}
                  value={String(t.id)}
                  aria-label={`${t.name} ${t.version}${t.variant ? ` ${t.variant}` : ''}`}
                  className="flex-row items-center gap-3"
                >
                  <OsIcon icon={g.icon} className="size-8" />
                  <span className="grid min-w-0 gap-0.5 pr-5">
                    <span className="truncate font-medium">
                      {t.name} {t.version}
                    </span>
                    <span className="flex items-center gap-1.5 text-xs text-muted-foreground">
                      {osSubtitle(t)}
                      {t.eol && <Badge variant="warning">End of life</Badge>}
                    </span>
                  </span>
                </RadioCard>
              ))}
            </div>
          </div>
        ))}
        {filtered.length === 0 && <p className="text-sm text-muted-foreground">No operating system matches “{q}”.</p>}
      </RadioGroup>
    </div>
  )
}
