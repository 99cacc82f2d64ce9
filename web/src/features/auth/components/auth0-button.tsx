import { KeyRoundIcon } from 'lucide-react'
import { buttonVariants } from '@/components/ui/button'
import { paths } from '@/config/paths'
import { cn } from '@/lib/utils'

/** Auth0Button starts the hosted sign-in (social, SSO, passkeys) through the backend's PKCE flow. */
export function Auth0Button({ returnTo, label }: { returnTo: string; label?: string }) {
  // The company's own name for it (settings, passed by the page), else the plain words; never the provider's name.
  label = label?.trim() || 'single sign-on'
  return (
    <a href={paths.auth0(returnTo)} className={cn(buttonVariants({ variant: 'outline', size: 'lg' }), 'w-full')}>
      <KeyRoundIcon aria-hidden="true" />
      Continue with {label}
    </a>
  )
}

export function OrDivider() {
  return (
    <div className="flex items-center gap-3 text-xs text-muted-foreground uppercase" role="separator" aria-label="or">
      <span className="h-px flex-1 bg-border" />
      or
      <span className="h-px flex-1 bg-border" />
    </div>
  )
}
