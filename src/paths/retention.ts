/** The addresses of the retention pages (issue 15): records due for removal, legal holds, subject access. */
import { path } from './define.ts'

export const retention = {
  review: path('/retention'),
  confirm: path('/retention/confirm'),
  holds: path('/retention/holds'),
  holdRelease: path('/retention/holds/:holdId/release'),
  subjectAccess: path('/retention/subject-access'),
}
