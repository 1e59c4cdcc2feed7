import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { projectRoot } from '../../src/root.ts'
import { copyOfPgliteTemplate } from '../helpers/database.ts'
import { engineIndependent } from '../helpers/engines.ts'

const isPostgresRun = process.env.HAVEN_TEST_DB === 'postgres'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(projectRoot, 'src/server.ts')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
  })
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => ({ stdout, stderr }) }
}

async function waitUntilUp(url: string, timeoutMs = 90_000) {
  const start = Date.now()
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`server did not start at ${url}`)
}

test('a wrong environment value stops start-up with one line naming the variable', engineIndependent(), async () => {
  const server = startServer({ PORT: 'abc', DATA_DIR: path.join(os.tmpdir(), 'haven-never-used') })
  const code = await server.exited
  assert.equal(code, 1)
  const lines = server.output().stderr.trim().split('\n')
  assert.equal(lines.length, 1)
  assert.match(lines[0]!, /PORT/)
})

test('SIGTERM lets an in-flight request finish, closes the database and exits 0', {
  skip: isPostgresRun && 'runs once, on the embedded database',
  timeout: 150_000,
}, async () => {
  // Already migrated (the server's start-up migration then has nothing to do): migrating from
  // nothing is tested by `haven migrate` in cli.test.ts and by schema.test.ts.
  const dataDir = await copyOfPgliteTemplate()
  const port = await freePort()
  const server = startServer({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ENABLE_TEST_ROUTES: 'true',
    LOG_LEVEL: 'info',
  })
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/healthz`)
    const slow = fetch(`http://127.0.0.1:${port}/__test/slow?ms=1500`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }))
    await new Promise((r) => setTimeout(r, 300))
    server.child.kill('SIGTERM')
    const response = await slow
    assert.equal(response.status, 200)
    assert.deepEqual(response.body, { waited: 1500 })
    assert.equal(await server.exited, 0)
    assert.match(server.output().stdout, /stopped cleanly/)
    // Logs are structured JSON and carry no query strings.
    for (const line of server.output().stdout.trim().split('\n')) JSON.parse(line)
    assert.doesNotMatch(server.output().stdout, /ms=1500/)
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
