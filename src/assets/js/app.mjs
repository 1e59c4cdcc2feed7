// Haven's progressive enhancement. Every journey works without this file.
import { initAll } from './govuk-frontend.min.js'

initAll()
