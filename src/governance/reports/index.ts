export {
  emptyFigures,
  financeCsv,
  FILTERING_NOTE,
  usageCsv,
  usageReport,
  type AgencyUsage,
  type FinanceLine,
  type UsageFigures,
  type UsageInput,
  type UsageTotals,
} from './usage.ts';
export {
  MAX_USAGE_DAYS,
  UsageService,
  type FinanceView,
  type UsageQuery,
  type UsageReport,
} from './usage-service.ts';
export { usageCells, usageHtml, usagePdf, usageTitle, USAGE_COLUMNS } from './usage-render.ts';
