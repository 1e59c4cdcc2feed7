/** The addresses of the admin pages (see define.ts). */
import { path } from './define.ts'

export const admin = {
  index: path('/admin'),
  security: path('/admin/security'),
  signInProvider: path('/admin/sign-in-provider'),
  outbox: path('/admin/outbox'),
  outboxMessage: path('/admin/outbox/:id'),
}
