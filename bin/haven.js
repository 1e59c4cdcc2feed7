#!/usr/bin/env node
// The `haven` command as a package bin. It runs the CLI on the Node.js 24 that the project pins
// (node_modules/node), so it works even where the system Node.js is older.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pinned = path.join(root, 'node_modules', 'node', 'bin', 'node')
const node = existsSync(pinned) ? pinned : process.execPath
const result = spawnSync(node, [path.join(root, 'src', 'cli.ts'), ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
