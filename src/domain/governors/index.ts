/** The governors' termly report (issue 16): content-blind figures, small numbers hidden. Pure. */
export { asAtOf, chosenPeriod, previousPeriods, type ReportPeriod, reportPeriods, yearsOfReports } from './periods.ts'
export {
  buildGovernorsReport,
  type CaseEscalationFact,
  type ContractSignedFact,
  type EscalationFact,
  type FocusedSessions,
  focusedSessions,
  type GovernorsReport,
  type GovernorsReportInput,
  type GroupRow,
  type PeriodFigures,
  periodFigures,
  type SessionFocusFact,
  sessionsAskedFor,
  type TrendRow,
} from './report.ts'
export {
  type Count,
  hidden,
  isHidden,
  type Percent,
  smallNumber,
  suppressBreakdown,
  suppressCount,
  suppressPercent,
} from './suppression.ts'
export {
  asData,
  hiddenExplained,
  inWords,
  type ReportTable,
  reportCsvRows,
  reportTables,
  type Writer,
} from './tables.ts'
