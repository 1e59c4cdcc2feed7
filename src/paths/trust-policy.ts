/** The addresses of the trust policy pages (issue 14, ADR 0024; see define.ts). */
import { path } from './define.ts'
import type { EditorPaths } from './policy.ts'

const versionFile = path('/trust/policy/versions/:file')
const index = path('/trust/policy')
const publish = path('/trust/policy/publish')

/** The trust policy's editor (issue 14): the school editor's pages, on the trust's draft. */
const editor = {
  index,
  upload: publish,
  edit: path('/trust/policy/edit'),
  publish: path('/trust/policy/edit/publish'),
  discard: path('/trust/policy/edit/discard'),
  other: path('/trust/policy/edit/other'),
  section: path('/trust/policy/edit/:section'),
  /** Pattern only: an item of a section's list, any depth. */
  sectionItem: path('/trust/policy/edit/:section/*'),
} satisfies EditorPaths

export const trustPolicy = {
  /** The trust's versions and its academies' adoptions. */
  index,
  /** Publish a new version of the trust's policy (from a school's policy or a JSON file). */
  publish,
  editor,
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
  /** The trust invites a school on the same installation to join it (ADR 0050). */
  invite: path('/trust/invite-a-school'),
  /** A single school accepts a trust's invitation, with its code. */
  joinTrust: path('/admin/join-a-trust'),
}
