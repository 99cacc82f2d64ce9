import { AlertCircleIcon, RotateCwIcon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { errorMessage, isApiError } from '@/lib/api-client'

/** ErrorAlert shows the server's own message for a failed call, with its request id for support. */
export function ErrorAlert({
  error,
  title = 'Something went wrong',
  onRetry,
  className,
}: {
  error: unknown
  title?: string
  onRetry?: () => void
  className?: string
}) {
  const requestId = isApiError(error) ? error.requestId : undefined
  return (
    <Alert variant="destructive" className={className}>
      <AlertCircleIcon />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        <p>{errorMessage(error)}</p>
        {requestId && <p className="font-mono text-xs opacity-70">Request ID: {requestId}</p>}
        {onRetry && (
          <Button variant="outline" size="sm" className="mt-2" onClick={onRetry}>
            <RotateCwIcon /> Try again
          </Button>
        )}
      </AlertDescription>
    </Alert>
  )
}
