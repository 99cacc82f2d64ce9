import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { timing } from '@/config/timing'
import { setCsrfToken } from '@/lib/api-client'
import { resetDb } from './mocks/db'
import { server } from './mocks/server'

// Fast polls keep tests short; the live list poll is left slow so it doesn't add noise.
timing.taskPollMs = 20
timing.buildPollMs = 50
timing.metricsPollMs = 50
timing.serversPollMs = 60_000

// jsdom lacks a few browser APIs that Radix and Recharts use.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => {},
  removeListener: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
  dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia
Element.prototype.scrollIntoView ??= vi.fn()
Element.prototype.hasPointerCapture ??= () => false
Element.prototype.releasePointerCapture ??= () => {}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  cleanup()
  server.resetHandlers()
  resetDb()
  setCsrfToken(null)
  localStorage.clear()
  window.history.replaceState(null, '', '/')
})
afterAll(() => server.close())

// The first render of each file loads lazy page chunks through Vite's transform; allow for it.
configure({ asyncUtilTimeout: 5000 })
