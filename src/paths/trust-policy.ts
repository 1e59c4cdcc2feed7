/** The addresses of the trust policy pages (issue 14, ADR 0024; see define.ts). */
import { path } from './define.ts'

const versionFile = path('/trust/policy/versions/:file')

export const trustPolicy = {
  /** The trust's versions and its academies' adoptions. */
  index: path('/trust/policy'),
  /** Publish a new version of the trust's policy (from a school's policy or a JSON file). */
  publish: path('/trust/policy/publish'),
  versionFile,
  versionJson: (version: number) => versionFile({ file: `${version}.json` }),
  /** An academy's adoption: its additions and overrides, and the forms that change them. */
  academy: path('/trust/policy/academies/:slug'),
  adopt: path('/trust/policy/academies/:slug/adopt'),
  frequency: path('/trust/policy/academies/:slug/frequency'),
  template: path('/trust/policy/academies/:slug/template'),
  requirement: path('/trust/policy/academies/:slug/requirement'),
  remove: path('/trust/policy/academies/:slug/remove'),
  /** A single school becomes a trust, keeping its history. */
  becomeTrust: path('/admin/become-a-trust'),
}
