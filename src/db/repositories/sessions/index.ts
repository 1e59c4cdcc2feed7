/** Scheduling's SQL (issue 13): sessions, requests, carried-forward items and the people they involve. */
export * from './carry-forward.ts'
export * from './people.ts'
export * from './requests.ts'
export * from './sessions.ts'
