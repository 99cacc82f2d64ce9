import { setupServer } from 'msw/node'
import { handlers } from './handlers'

/** server intercepts fetch at the network layer for every test. */
export const server = setupServer(...handlers)
