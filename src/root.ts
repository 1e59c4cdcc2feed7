import { fileURLToPath } from 'node:url'

/** The project's root directory (where package.json is), whatever the working directory. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url))
