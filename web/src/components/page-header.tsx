import { useEffect, useRef, type ReactNode } from 'react'
import { useDocumentTitle } from '@/hooks/use-document-title'

/**
 * PageHeader is the h1 of a page plus its actions; it also names the browser tab. After a route
 * change it takes focus (unless a field already has it), so screen readers announce the new page
 * and keyboard users start from its top.
 */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  useDocumentTitle(title)
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    const active = document.activeElement
    // Nothing focused, or the link / menu item that led here: the page's heading takes over.
    if (!active || active === document.body || active.matches('a, [role="menuitem"]')) ref.current?.focus({ preventScroll: true })
  }, [])
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 ref={ref} tabIndex={-1} className="font-display break-words text-2xl font-semibold tracking-tight outline-none sm:text-3xl">
          {title}
        </h1>
        {description && <p className="mt-1 text-sm text-muted-foreground">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  )
}
