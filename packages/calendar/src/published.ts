import { type CalendarData, dateRange } from './working-days.ts';

/**
 * The holiday arrangements as the General Office of the State Council published them: what triage
 * seeds on a fresh install. Triage owns the live data (`PUT /v1/calendar/{year}`); other services
 * take it from `gridcase.calendar.updated.v1` on `gridcase.reference`, never from here.
 */
export const PUBLISHED_CALENDARS: readonly CalendarData[] = [
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12)',
    holidays: [
      '2025-01-01', // 元旦: 1 day, no make-up
      ...dateRange('2025-01-28', '2025-02-04'), // 春节: 除夕 to 正月初七
      ...dateRange('2025-04-04', '2025-04-06'), // 清明节
      ...dateRange('2025-05-01', '2025-05-05'), // 劳动节
      ...dateRange('2025-05-31', '2025-06-02'), // 端午节
      ...dateRange('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    workdays: [
      '2025-01-26', // Sunday, for 春节
      '2025-02-08', // Saturday, for 春节
      '2025-04-27', // Sunday, for 劳动节
      '2025-09-28', // Sunday, for 国庆节
      '2025-10-11', // Saturday, for 国庆节
    ],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
    holidays: [
      ...dateRange('2026-01-01', '2026-01-03'), // 元旦
      ...dateRange('2026-02-15', '2026-02-23'), // 春节: 腊月二十八 to 正月初七
      ...dateRange('2026-04-04', '2026-04-06'), // 清明节
      ...dateRange('2026-05-01', '2026-05-05'), // 劳动节
      ...dateRange('2026-06-19', '2026-06-21'), // 端午节
      ...dateRange('2026-09-25', '2026-09-27'), // 中秋节
      ...dateRange('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workdays: [
      '2026-01-04', // Sunday, for 元旦
      '2026-02-14', // Saturday, for 春节
      '2026-02-28', // Saturday, for 春节
      '2026-05-09', // Saturday, for 劳动节
      '2026-09-20', // Sunday, for 国庆节
      '2026-10-10', // Saturday, for 国庆节
    ],
  },
];
