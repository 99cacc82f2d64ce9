// stack.mjs starts the local runner (build/local-runner, built by `make e2e`)
// on free ports with a throwaway data directory, and stops it again.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const runnerPath = process.env.E2E_RUNNER ?? resolve(webDir, '../build/local-runner')
export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium'
const distDir = join(webDir, 'dist')

/** checkPrerequisites fails loudly, with the fix, when something the run needs is missing. */
export function checkPrerequisites() {
  const missing = []
  if (!existsSync(chromiumPath))
    missing.push(`chromium not found at ${chromiumPath}: apt-get install chromium (or set E2E_CHROMIUM to a Chromium binary)`)
  if (!existsSync(runnerPath))
    missing.push(`local runner not found at ${runnerPath}: run \`make e2e\` from the repository root (it builds build/local-runner)`)
  if (!existsSync(join(distDir, 'index.html'))) missing.push(`the UI is not built (${distDir}/index.html): run \`make web\``)
  if (missing.length) throw new Error(`e2e prerequisites missing:\n  - ${missing.join('\n  - ')}`)
}

function listen(port) {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(port, '127.0.0.1', () => {
      const { port: p } = srv.address()
      srv.close(() => ok(p))
    })
  })
}

const freePort = () => listen(0)

/** freeRange finds n consecutive free ports (the runner puts its simulators and Mailpit side by side). */
async function freeRange(n) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000)
    try {
      for (let i = 0; i < n; i++) await listen(base + i)
      return base
    } catch {
      // taken; try another base
    }
  }
  throw new Error(`no ${n} consecutive free ports found`)
}

async function waitHealthy(url, child, logPath, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the local runner exited with code ${child.exitCode} before it was healthy; log:\n${tail(logPath)}`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (res.ok) return
      last = `HTTP ${res.status}: ${await res.text()}`
    } catch (err) {
      last = String(err?.cause?.code ?? err)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`the local runner did not become healthy at ${url} within ${timeoutMs / 1000}s (last: ${last}); log:\n${tail(logPath)}`)
}

/** tail returns the last lines of a log file, for failure messages. */
export function tail(path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/**
 * startStack runs the runner in its own process group (so DynamoDB Local's
 * java goes with it) with the simulators' fast timings and without the demo
 * seed (the tests start from a clean panel), and resolves once /api/health
 * answers.
 */
export async function startStack({ demo = false } = {}) {
  checkPrerequisites()
  const dataDir = mkdtempSync(join(tmpdir(), 'vfpanel-e2e-'))
  const logPath = join(dataDir, 'runner.log')
  // Five side by side: the VirtFusion, Auth0 and PayPal simulators, then
  // Mailpit's SMTP and its API (the runner's -sim-port layout).
  const [port, ddbPort, simPort] = [await freePort(), await freePort(), await freeRange(5)]
  const addr = `127.0.0.1:${port}`
  const log = createWriteStream(logPath)
  const child = spawn(
    runnerPath,
    ['-addr', addr, '-data', dataDir, '-web', distDir, '-ddb-port', String(ddbPort), '-sim-port', String(simPort), '-fast', `-demo=${demo}`],
    { cwd: webDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  const spawned = new Promise((ok, fail) => {
    child.once('spawn', ok)
    child.once('error', fail)
  })
  await spawned

  let stopped = false
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {
      // already gone
    }
  }
  const onExit = () => kill('SIGKILL')
  process.once('exit', onExit)

  const stack = {
    baseURL: `http://${addr}`,
    /** mailURL is Mailpit's API, where the panel's mail goes (the runner prints it too). */
    mailURL: `http://127.0.0.1:${simPort + 4}`,
    logPath,
    dataDir,
    /** stop ends the whole process group: SIGTERM, then SIGKILL after 5 s. */
    async stop({ keepData = false } = {}) {
      if (stopped) return
      stopped = true
      process.removeListener('exit', onExit)
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        kill('SIGTERM')
        const timer = setTimeout(() => kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      // java may outlive the runner by a moment
      kill('SIGKILL')
      log.end()
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
  try {
    await waitHealthy(`${stack.baseURL}/api/health`, child, logPath, 90_000)
  } catch (err) {
    await stack.stop({ keepData: true })
    throw err
  }
  return stack
}

/**
 * mailTo waits for a message to address whose subject matches subject in
 * the stack's Mailpit and returns it in full (Subject, Text, HTML).
 */
export async function mailTo(stack, address, subject, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  let seen = []
  while (Date.now() < deadline) {
    const res = await fetch(`${stack.mailURL}/api/v1/search?limit=100&query=${encodeURIComponent(`to:${address}`)}`)
    if (!res.ok) throw new Error(`Mailpit search: HTTP ${res.status}`)
    const { messages = [] } = await res.json()
    seen = messages.map((m) => m.Subject)
    const hits = messages.filter((m) => subject.test(m.Subject) && m.To?.some((t) => t.Address === address))
    if (hits.length > 1) throw new Error(`${hits.length} messages to ${address} match ${subject}: sent more than once`)
    if (hits.length === 1) {
      const full = await fetch(`${stack.mailURL}/api/v1/message/${encodeURIComponent(hits[0].ID)}`)
      if (!full.ok) throw new Error(`Mailpit message: HTTP ${full.status}`)
      return full.json()
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`no mail to ${address} matching ${subject} within ${timeoutMs / 1000}s (subjects seen: ${JSON.stringify(seen)})`)
}

/**
 * verificationLink returns the newest verification link the Auth0 simulator logged for email
 * ("auth0sim: verification email sent email=… link=…"), or '' when there is none yet.
 */
export function verificationLink(logPath, email) {
  let text
  try {
    text = readFileSync(logPath, 'utf8')
  } catch {
    return ''
  }
  let link = ''
  for (const line of text.split('\n')) {
    if (!line.includes('auth0sim: verification email sent')) continue
    const m = /email=("?)(\S+?)\1 link="?([^"\s]+)"?/.exec(line)
    if (m && m[2].toLowerCase() === email.toLowerCase()) link = m[3]
  }
  return link
}
