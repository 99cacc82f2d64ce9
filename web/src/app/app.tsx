import { AppProvider } from './provider'
import { AppRouter } from './router'

/** App is the whole panel: providers around the router. */
export function App() {
  return (
    <AppProvider>
      <AppRouter />
    </AppProvider>
  )
}
