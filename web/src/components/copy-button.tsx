import { CheckIcon, CopyIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useCopy } from '@/hooks/use-copy'
import { cn } from '@/lib/utils'

/** CopyButton copies value; label names it for screen readers ("Copy IPv4 address 203.0.113.10"). */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const { copied, copy } = useCopy()
  return (
    <Button
      variant="ghost"
      size="icon"
      className={cn('size-7 text-muted-foreground hover:text-foreground', className)}
      aria-label={label}
      title={label}
      onClick={() => copy(value)}
    >
      {copied ? <CheckIcon className="text-success" /> : <CopyIcon />}
    </Button>
  )
}
