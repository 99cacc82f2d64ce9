import { useCallback, useEffect, useRef, useState } from 'react'
import { toast } from 'sonner'

/** useCopy copies text to the clipboard and remembers for a moment that it did. */
export function useCopy(timeout = 1500) {
  const [copied, setCopied] = useState(false)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  const copy = useCallback(
    async (text: string, label = 'Copied to clipboard') => {
      try {
        await navigator.clipboard.writeText(text)
        setCopied(true)
        toast.success(label)
        clearTimeout(timer.current)
        timer.current = setTimeout(() => setCopied(false), timeout)
      } catch {
        toast.error('Could not copy. Select the text and copy it by hand.')
      }
    },
    [timeout],
  )
  return { copied, copy }
}
