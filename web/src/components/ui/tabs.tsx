import * as React from 'react'
import * as TabsPrimitive from '@radix-ui/react-tabs'
import { cn } from '@/lib/utils'

// min-w-0: as a grid or flex item, a long tab strip must scroll instead of widening the page on phones.
const Tabs = React.forwardRef<React.ElementRef<typeof TabsPrimitive.Root>, React.ComponentPropsWithoutRef<typeof TabsPrimitive.Root>>(
  ({ className, ...props }, ref) => <TabsPrimitive.Root ref={ref} className={cn('min-w-0', className)} {...props} />,
)
Tabs.displayName = 'Tabs'

/**
 * useEdgeFades marks a horizontal scroller with data-fade-start/end while content hides past an edge
 * (index.css turns those into mask fades, the only hint on phones that the strip scrolls), and keeps
 * the active tab in view on mount and whenever it changes.
 */
function useEdgeFades(ref: React.RefObject<HTMLElement | null>) {
  React.useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const update = () => {
      const max = el.scrollWidth - el.clientWidth
      el.toggleAttribute('data-fade-start', el.scrollLeft > 1)
      el.toggleAttribute('data-fade-end', max > 1 && el.scrollLeft < max - 1)
    }
    const reveal = () => {
      const active = el.querySelector<HTMLElement>('[role="tab"][data-state="active"]')
      if (!active || el.scrollWidth <= el.clientWidth) return update()
      // Scroll the strip only (not the page, as scrollIntoView could): centre the active tab.
      el.scrollLeft = active.offsetLeft - (el.clientWidth - active.offsetWidth) / 2
      update()
    }
    reveal()
    el.addEventListener('scroll', update, { passive: true })
    const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update)
    resize?.observe(el)
    const changes = new MutationObserver(reveal)
    changes.observe(el, { subtree: true, attributeFilter: ['data-state'] })
    return () => {
      el.removeEventListener('scroll', update)
      resize?.disconnect()
      changes.disconnect()
    }
  }, [ref])
}

const TabsList = React.forwardRef<
  React.ElementRef<typeof TabsPrimitive.List>,
  React.ComponentPropsWithoutRef<typeof TabsPrimitive.List>
>(({ className, ...props }, forwarded) => {
  const ref = React.useRef<HTMLDivElement>(null)
  React.useImperativeHandle(forwarded, () => ref.current!, [])
  useEdgeFades(ref)
  return (
    <TabsPrimitive.List
      ref={ref}
      data-slot="tabs-list"
      className={cn(
        'glass relative inline-flex h-10 max-sm:h-auto max-sm:flex-wrap w-full max-w-full items-center justify-start gap-1 overflow-x-auto rounded-lg border p-1 text-muted-foreground [scrollbar-width:none] sm:w-fit',
        className,
      )}
      {...props}
    />
  )
})
TabsList.displayName = 'TabsList'

const TabsTrigger = React.forwardRef<
  React.ElementRef<typeof TabsPrimitive.Trigger>,
  React.ComponentPropsWithoutRef<typeof TabsPrimitive.Trigger>
>(({ className, ...props }, ref) => (
  <TabsPrimitive.Trigger
    ref={ref}
    className={cn(
      "inline-flex h-full max-sm:h-10 shrink-0 cursor-pointer items-center justify-center gap-1.5 rounded-md px-3 text-sm font-medium whitespace-nowrap transition-all outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:pointer-events-none disabled:opacity-50 data-[state=active]:bg-primary/15 data-[state=active]:text-foreground data-[state=active]:shadow-sm [&_svg:not([class*='size-'])]:size-4",
      className,
    )}
    {...props}
  />
))
TabsTrigger.displayName = 'TabsTrigger'

const TabsContent = React.forwardRef<
  React.ElementRef<typeof TabsPrimitive.Content>,
  React.ComponentPropsWithoutRef<typeof TabsPrimitive.Content>
>(({ className, ...props }, ref) => (
  <TabsPrimitive.Content ref={ref} className={cn('mt-4 flex-1 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 rounded-lg', className)} {...props} />
))
TabsContent.displayName = 'TabsContent'

export { Tabs, TabsList, TabsTrigger, TabsContent }
