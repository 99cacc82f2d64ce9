import {
  siAlmalinux,
  siAlpinelinux,
  siArchlinux,
  siCentos,
  siDebian,
  siFedora,
  siFreebsd,
  siGentoo,
  siLinux,
  siNixos,
  siOpensuse,
  siRedhat,
  siRockylinux,
  siUbuntu,
  type SimpleIcon,
} from 'simple-icons'
import { cn } from '@/lib/utils'

const icons: Record<string, SimpleIcon> = {
  almalinux: siAlmalinux,
  alma: siAlmalinux,
  alpine: siAlpinelinux,
  alpinelinux: siAlpinelinux,
  arch: siArchlinux,
  archlinux: siArchlinux,
  centos: siCentos,
  debian: siDebian,
  fedora: siFedora,
  freebsd: siFreebsd,
  gentoo: siGentoo,
  nixos: siNixos,
  opensuse: siOpensuse,
  suse: siOpensuse,
  redhat: siRedhat,
  rhel: siRedhat,
  rocky: siRockylinux,
  rockylinux: siRockylinux,
  ubuntu: siUbuntu,
  linux: siLinux,
}

// Some brand colours are near-black; lift them so they read on the dark theme.
const darkSafe: Record<string, string> = { '000000': 'e5e7eb', '1793d1': '1793d1' }

/** OsIcon draws a distro logo for an icon key such as "ubuntu"; unknown keys get a generic mark. */
export function OsIcon({ icon, className, title }: { icon: string; className?: string; title?: string }) {
  const key = icon.toLowerCase().replace(/[^a-z]/g, '')
  if (key.startsWith('windows')) {
    return (
      <svg viewBox="0 0 24 24" className={cn('size-6', className)} role={title ? 'img' : undefined} aria-hidden={title ? undefined : true} aria-label={title}>
        <path fill="#38bdf8" d="M3 5.5 10.5 4.4v7.1H3zM11.5 4.3 21 3v8.5h-9.5zM3 12.5h7.5v7.1L3 18.5zM11.5 12.5H21V21l-9.5-1.3z" />
      </svg>
    )
  }
  const si = icons[key] ?? Object.entries(icons).find(([k]) => key.includes(k))?.[1]
  if (!si) {
    return (
      <svg viewBox="0 0 24 24" className={cn('size-6 text-muted-foreground', className)} aria-hidden={title ? undefined : true} role={title ? 'img' : undefined} aria-label={title}>
        <rect x="3" y="4" width="18" height="12" rx="2" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <path d="M8 20h8M12 16v4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
    )
  }
  const hex = darkSafe[si.hex.toLowerCase()] ?? si.hex
  return (
    <svg viewBox="0 0 24 24" className={cn('size-6', className)} role={title ? 'img' : undefined} aria-hidden={title ? undefined : true} aria-label={title}>
      <path d={si.path} fill={`#${hex}`} />
    </svg>
  )
}
