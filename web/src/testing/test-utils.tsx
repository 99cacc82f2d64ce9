import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '@/app/app'

/** renderApp mounts the whole panel at a URL, exactly as the browser would. */
export function renderApp(path = '/') {
  window.history.pushState(null, '', path)
  const user = userEvent.setup()
  const utils = render(<App />)
  return { user, ...utils }
}

/** currentPath is the browser's path plus query. */
export const currentPath = () => window.location.pathname + window.location.search

export { screen }
