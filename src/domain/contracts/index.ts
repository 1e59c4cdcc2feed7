/** Supervision contracts (issue 8; MW-02, MW-03, MW-11, AM-05): pure rules over plain data. */
export * from './access.ts'
export * from './bulk.ts'
export * from './defaults.ts'
export * from './identity.ts'
export * from './model.ts'
export * from './reminders.ts'
export * from './render.ts'
export * from './terms.ts'
