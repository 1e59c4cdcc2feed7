/** The DSL's overview (issue 9): figures from facts, accessible SVG charts and CSV lists. Pure. */
export {
  buildOverview,
  complianceFigures,
  isUpToDate,
  otherPersonIds,
  supervisorRoles,
  supervisorStanding,
  windowStartFor,
} from './build.ts'
export { type Bar, type BarChartInput, barChartSvg, escapeXml } from './chart.ts'
export { type CsvCell, csvChunks, toCsv } from './csv.ts'
export * from './model.ts'
