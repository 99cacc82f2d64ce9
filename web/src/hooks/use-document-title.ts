import { useEffect } from 'react'

/** useDocumentTitle names the tab after the page, so history and screen readers say where you are. */
export function useDocumentTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · vfpanel` : 'vfpanel'
  }, [title])
}
