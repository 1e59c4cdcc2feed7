/** The addresses of the inspection evidence pack (issue 16; see define.ts). */
import { path } from './define.ts'

export const evidencePack = {
  /** Choosing the period (GET), and downloading the pack or going on to confirm record content (POST). */
  index: path('/evidence-pack'),
  /** The pack with record content, after the reason and the confirmation (the DSL). */
  content: path('/evidence-pack/content'),
}
