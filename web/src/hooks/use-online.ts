import { useSyncExternalStore } from 'react'

function subscribe(onChange: () => void) {
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

/** isOnline is the browser's own view of the connection (false only when it knows it is offline). */
export const isOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false

/** useOnline re-renders when the browser goes offline or back online. */
export function useOnline() {
  return useSyncExternalStore(subscribe, isOnline, () => true)
}
