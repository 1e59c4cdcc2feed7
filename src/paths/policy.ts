/** The addresses of the policy pages and its editor (see define.ts). */
import { path, type Query } from './define.ts'

const versionFile = path('/policy/versions/:file')

export const policy = {
  index: path('/policy'),
  /** One version's page (`{ file: 3 }`) or its JSON (`{ file: '3.json' }`): one route serves both. */
  versionFile,
  version: (version: number) => versionFile({ file: version }),
  versionJson: (version: number) => versionFile({ file: `${version}.json` }),
  upload: path('/policy/upload'),
  /** Record a review of the policy in force. */
  review: path('/policy/review'),
  edit: path('/policy/edit'),
  publish: path('/policy/edit/publish'),
  discard: path('/policy/edit/discard'),
  other: path('/policy/edit/other'),
  section: path('/policy/edit/:section'),
  /** Pattern only: an item of a section's list, any depth (`/policy/edit/supervisors/rules/0`). */
  sectionItem: path('/policy/edit/:section/*'),
}

type NoParams = ((query?: Query) => string) & { readonly pattern: string }

/**
 * The policy editor's addresses (issue 14): the same pages edit a school's policy (`policy` above)
 * or its trust's (`trustPolicy.editor`). `index` shows the policy; `upload` publishes a file.
 */
export interface EditorPaths {
  index: NoParams
  upload: NoParams
  edit: NoParams
  publish: NoParams
  discard: NoParams
  other: NoParams
  section: ((params: { section: string }, query?: Query) => string) & { readonly pattern: string }
  sectionItem: { readonly pattern: string }
}

policy satisfies EditorPaths
