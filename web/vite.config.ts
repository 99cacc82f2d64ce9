/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { configDefaults } from 'vitest/config'

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      // The Go local runner listens here; cookies stay first-party through the proxy.
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    // scripts/bundle-budget.mjs reads this to size the sign-in route.
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/testing/setup-tests.ts'],
    // e2e/ holds the browser tests, run by `npm run e2e` (node --test) against the local stack.
    exclude: [...configDefaults.exclude, 'e2e/**'],
    css: false,
    testTimeout: 15000,
    pool: 'threads',
    isolate: false,
  },
})
