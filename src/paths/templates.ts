/** The addresses of the templates pages (see define.ts). */
import { path } from './define.ts'

export const templates = {
  index: path('/templates'),
  builtIn: path('/templates/built-in/:templateId'),
  copy: path('/templates/copy'),
  school: path('/templates/school/:templateId'),
  newSection: path('/templates/school/:templateId/sections/new'),
  changeSection: path('/templates/school/:templateId/sections/:sectionId/change'),
  removeSection: path('/templates/school/:templateId/sections/:sectionId/remove'),
  newField: path('/templates/school/:templateId/sections/:sectionId/fields/new'),
  changeField: path('/templates/school/:templateId/fields/:fieldId/change'),
  removeField: path('/templates/school/:templateId/fields/:fieldId/remove'),
}
