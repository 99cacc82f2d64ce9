import { useState } from 'react'
import { EyeIcon, EyeOffIcon, TriangleAlertIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { CopyButton } from '@/components/copy-button'

/** SecretReveal shows a password that the server returns only once, with copy and a warning. */
export function SecretReveal({
  label = 'Root password',
  value,
  title = 'Save this password now',
  description = "It is shown only once. We don't store it and can't show it again.",
}: {
  label?: string
  value: string
  title?: string
  description?: string
}) {
  const [visible, setVisible] = useState(true)
  return (
    <div className="space-y-3" data-testid="secret-reveal">
      <Alert variant="warning">
        <TriangleAlertIcon />
        <AlertTitle>{title}</AlertTitle>
        <AlertDescription>{description}</AlertDescription>
      </Alert>
      <div className="flex items-center gap-2 rounded-lg border bg-background/50 p-2 pl-3">
        <span className="sr-only">{label}</span>
        <code aria-label={label} className="min-w-0 flex-1 truncate font-mono text-sm">
          {visible ? value : '•'.repeat(Math.min(value.length, 24))}
        </code>
        <Button
          variant="ghost"
          size="icon"
          className="size-7"
          aria-label={visible ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? <EyeOffIcon /> : <EyeIcon />}
        </Button>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  )
}
