#!/usr/bin/env node
// Checks that the JavaScript needed to show the sign-in page stays small.
// It reads dist/.vite/manifest.json, walks the entry chunk's static imports plus the
// sign-in page chunk (and its static imports), gzips each file and sums them.
import { readFileSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const BUDGET_KB = Number(process.env.SIGNIN_BUDGET_KB ?? 200)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const manifestPath = join(dist, '.vite', 'manifest.json')

if (!existsSync(manifestPath)) {
  console.error(`budget: ${manifestPath} not found. Run "npm run build" first.`)
  process.exit(2)
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))

const gzipCache = new Map()
function gz(file) {
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length)
  return gzipCache.get(file)
}
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB'

// Collect a chunk and everything it imports statically.
function collect(key, seen = new Set()) {
  const chunk = manifest[key]
  if (!chunk || seen.has(key)) return seen
  seen.add(key)
  for (const imp of chunk.imports ?? []) collect(imp, seen)
  return seen
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)
const loginKey = Object.keys(manifest).find((k) => /app\/routes\/auth\/login\.tsx$/.test(k))
if (!entryKey || !loginKey) {
  console.error(`budget: could not find ${!entryKey ? 'the entry chunk' : 'the sign-in page chunk (src/app/routes/auth/login.tsx)'} in the manifest.`)
  process.exit(2)
}

const signIn = collect(loginKey, collect(entryKey))
const signInFiles = [...signIn].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))

// Every JS chunk, biggest first.
const all = [...new Set(Object.values(manifest).map((c) => c.file).filter((f) => f.endsWith('.js')))]
  .map((f) => ({ f, size: gz(f) }))
  .sort((a, b) => b.size - a.size)

console.log('gzip size  chunk (* = needed for sign-in)')
for (const { f, size } of all) console.log(`${kb(size)}  ${signInFiles.includes(f) ? '*' : ' '} ${f}`)
const total = all.reduce((n, c) => n + c.size, 0)
const signInTotal = signInFiles.reduce((n, f) => n + gz(f), 0)
console.log('')
console.log(`all JavaScript:  ${kb(total)} gzip in ${all.length} chunks`)
console.log(`sign-in route:   ${kb(signInTotal)} gzip in ${signInFiles.length} chunks (budget ${BUDGET_KB} KB)`)

if (signInTotal > BUDGET_KB * 1024) {
  console.error(`budget: FAIL — the sign-in route is ${(signInTotal / 1024).toFixed(1)} KB gzip, over the ${BUDGET_KB} KB budget.`)
  process.exit(1)
}
console.log('budget: OK')
