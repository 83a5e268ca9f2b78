export * from './calendar/index.ts';
export { CalendarService, type YearView } from './calendar-service.ts';
