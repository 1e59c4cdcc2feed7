/**
 * One Nunjucks environment per test process, shared by every app the tests build in it.
 *
 * src/plugins/view.ts configures a new environment for each app, and a new environment compiles
 * every template again (the layout, Haven's macros and govuk-frontend's) the first time a page
 * uses it. Production builds one app per process, so it compiles each template once; the tests
 * build an app per test, and compiling was a large share of the CPU of a test that renders a
 * few pages. Every app asks for the same configuration (the same folders, options, filters and
 * globals), so the tests hand back the one already made for that configuration, with its
 * compiled templates, and the pages are rendered by the same templates as before.
 *
 * Imported for its effect by test-app.ts and test/browser/browser.ts, before any app is built.
 */
import nunjucks from 'nunjucks'

const configure = nunjucks.configure.bind(nunjucks) as (...args: unknown[]) => nunjucks.Environment
const environments = new Map<string, nunjucks.Environment>()

nunjucks.configure = ((...args: unknown[]) => {
  const key = JSON.stringify(args)
  let env = environments.get(key)
  if (!env) {
    env = configure(...args)
    environments.set(key, env)
  }
  return env
}) as typeof nunjucks.configure
