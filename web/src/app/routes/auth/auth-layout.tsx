import type { ReactNode } from 'react'
import { CpuIcon, GaugeIcon, ShieldCheckIcon } from 'lucide-react'
import { Logo } from '@/components/logo'
import { ThemeToggle } from '@/components/theme-toggle'
import { useDocumentTitle } from '@/hooks/use-document-title'

const points = [
  { icon: GaugeIcon, title: 'Pay by the hour', text: 'Prepaid balance, hourly billing, a monthly cap. No surprises.' },
  { icon: CpuIcon, title: 'Deploy in a minute', text: 'NVMe storage, dedicated IPv4 and IPv6, your choice of OS.' },
  { icon: ShieldCheckIcon, title: 'Always in control', text: 'Console, power, reinstall and metrics, from any device.' },
]

/** AuthLayout frames the sign-in, sign-up and password pages. */
export function AuthLayout({ title, description, children, footer }: { title: string; description: ReactNode; children: ReactNode; footer?: ReactNode }) {
  useDocumentTitle(title)
  return (
    <div className="grid min-h-dvh lg:grid-cols-[1.1fr_1fr]">
      <section className="relative hidden overflow-hidden border-r lg:flex lg:flex-col lg:justify-between lg:p-12" aria-label="About vfpanel">
        <div className="pointer-events-none absolute -top-32 -left-32 size-[36rem] rounded-full bg-sky-500/20 blur-3xl" />
        <div className="pointer-events-none absolute -right-24 bottom-0 size-[30rem] rounded-full bg-violet-500/20 blur-3xl" />
        <Logo className="relative" />
        <div className="relative grid gap-8">
          <h2 className="max-w-md font-display text-4xl leading-tight font-semibold">
            Cloud servers, <span className="text-gradient">without the friction.</span>
          </h2>
          <ul className="grid gap-5">
            {points.map((p) => (
              <li key={p.title} className="glass flex max-w-md items-start gap-4 rounded-xl border p-4">
                <span className="grid size-10 shrink-0 place-items-center rounded-lg bg-primary/15 text-primary">
                  <p.icon className="size-5" aria-hidden="true" />
                </span>
                <span>
                  <span className="block font-medium">{p.title}</span>
                  <span className="block text-sm text-muted-foreground">{p.text}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
        <p className="relative text-xs text-muted-foreground">© {new Date().getFullYear()} vfpanel</p>
      </section>
      <main className="relative flex flex-col px-4 py-6 sm:px-8">
        <div className="flex items-center justify-between">
          <Logo className="lg:invisible" />
          <ThemeToggle />
        </div>
        <div className="mx-auto flex w-full max-w-sm flex-1 flex-col justify-center gap-6 py-10">
          <div className="grid gap-2">
            <h1 className="font-display text-3xl font-semibold tracking-tight">{title}</h1>
            <p className="text-sm text-muted-foreground">{description}</p>
          </div>
          {children}
          {footer && <div className="text-center text-sm text-muted-foreground">{footer}</div>}
        </div>
      </main>
    </div>
  )
}
