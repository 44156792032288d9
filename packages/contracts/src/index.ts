// The reporting API's response contract: TypeBox schemas that the service serialises and
// documents with, and (through Static<>, imported as types) the dashboard's types.
export * from './affiliates.ts'
export * from './errors.ts'
export * from './figures.ts'
export * from './reports.ts'
export * from './values.ts'
