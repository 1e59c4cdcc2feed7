/** The addresses of a school's move to a trust on another Haven installation (issue 14, ADR 0052; see define.ts). */
import { path } from './define.ts'

export const schoolBundle = {
  /** On the school's installation: enter the trust's code, confirm, then download the school's file. */
  move: path('/admin/move-to-a-trust'),
  /** The school's file (signed), once the school has moved. */
  file: path('/admin/move-to-a-trust/school-file'),
  /** The school stays after all: writable again. */
  cancel: path('/admin/move-to-a-trust/cancel'),
  /** On the trust's installation: upload a school's file and the fingerprint read out. */
  import: path('/trust/import-a-school'),
}
