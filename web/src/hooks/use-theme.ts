import { useSyncExternalStore } from 'react'

export type Theme = 'dark' | 'light'
const KEY = 'vfpanel.theme'
const listeners = new Set<() => void>()

function read(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark'
  } catch {
    return 'dark'
  }
}

/** applyTheme puts the stored theme on <html>; main.tsx calls it before the first render. */
export function applyTheme(theme: Theme = read()) {
  document.documentElement.classList.toggle('dark', theme === 'dark')
  document.documentElement.style.colorScheme = theme
}

function setTheme(theme: Theme) {
  try {
    localStorage.setItem(KEY, theme)
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyTheme(theme)
  listeners.forEach((l) => l())
}

/** useTheme reads and changes the colour theme (dark first). */
export function useTheme() {
  const theme = useSyncExternalStore(
    (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    read,
    () => 'dark' as Theme,
  )
  return { theme, setTheme, toggle: () => setTheme(theme === 'dark' ? 'light' : 'dark') }
}
