/** The staff area's repositories (see ../README.md). */
export * from './imports.ts'
export * from './people.ts'
export * from './recorders.ts'
export * from './roles.ts'
export * from './rows.ts'
export * from './scope-overrides.ts'
export * from './supervision.ts'
