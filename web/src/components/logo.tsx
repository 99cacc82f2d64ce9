import { useId } from 'react'
import { cn } from '@/lib/utils'

export function Logo({ className }: { className?: string }) {
  // A unique gradient id per copy: a copy inside a hidden panel would otherwise blank the others.
  const gid = `logo${useId().replace(/:/g, '')}`
  return (
    <span className={cn('flex items-center gap-2 font-display text-lg font-semibold tracking-tight', className)}>
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden="true">
        <defs>
          <linearGradient id={gid} x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stopColor="#38bdf8" />
            <stop offset="1" stopColor="#8b5cf6" />
          </linearGradient>
        </defs>
        <rect width="32" height="32" rx="8" fill={`url(#${gid})`} />
        <path d="M9 10l7 13 7-13" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>vfpanel</span>
    </span>
  )
}
