/**
 * Waits until the database handle keeps reads (ADR 0054): at once on PGlite; on PostgreSQL once it
 * listens for other instances' writes, until when nothing is kept. A test of what is kept waits for
 * this first, so that it tests something.
 */
import assert from 'node:assert/strict'
import type { Db } from '../../src/db/database.ts'
import { writeGeneration } from '../../src/db/kept-reads.ts'

export async function untilReadsAreKept(db: Db): Promise<void> {
  for (let i = 0; writeGeneration(db) === null; i++) {
    assert.ok(i < 100, 'listening within 5 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
