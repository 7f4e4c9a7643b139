import ExcelJS from 'exceljs';
import type { Cell, CellKind, Table } from './domain/report-tables.ts';

/** Excel reads a CSV as UTF-8 only when it starts with the byte-order mark; without it Chinese is garbled. */
const UTF8_BOM = '\uFEFF';

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe: titles come from reporters, and a CSV opened in Excel must not execute them (OWASP CSV injection).
 */
const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

function csvCell(value: Cell, kind: CellKind): string {
  if (value === null) return '';
  let s: string;
  if (typeof value === 'number') s = kind === 'rate' ? `${(value * 100).toFixed(2)}%` : kind === 'decimal' ? String(Math.round(value * 100) / 100) : String(value);
  else s = defuse(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV (RFC 4180, CRLF) with a BOM; several tables follow one another, a blank line between. */
export function toCsv(tables: readonly Table[]): Buffer {
  const blocks = tables.map((t) =>
    [t.columns.map((c) => csvCell(c.header, 'text')).join(','), ...t.rows.map((r) => r.map((v, i) => csvCell(v, t.columns[i]?.kind ?? 'text')).join(','))].join('\r\n'),
  );
  return Buffer.from(`${UTF8_BOM}${blocks.join('\r\n\r\n')}\r\n`, 'utf8');
}

const NUMBER_FORMAT: Record<CellKind, string | undefined> = { text: undefined, int: '0', decimal: '0.00', rate: '0.00%' };

/** One workbook, a sheet per table: header row frozen and filterable, rates as percentages. */
export async function toXlsx(tables: readonly Table[], meta: { title: string; created: Date }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'gridcase desk';
  workbook.title = meta.title;
  workbook.created = meta.created;
  for (const t of tables) {
    const sheet = workbook.addWorksheet(t.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = t.columns.map((c, i) => {
      const numFmt = NUMBER_FORMAT[c.kind];
      return { header: c.header, key: String(i), width: c.width, ...(numFmt ? { style: { numFmt } } : {}) };
    });
    sheet.getRow(1).font = { bold: true };
    // Strings stay strings in XLSX (exceljs writes no formula unless given one), so nothing to defuse.
    for (const row of t.rows) sheet.addRow(row);
    if (t.rows.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * `attachment` with an ASCII `filename` for old clients and the Chinese name as `filename*`
 * (RFC 6266 / RFC 8187), which every current browser prefers.
 */
export const contentDisposition = (asciiName: string, utf8Name: string) =>
  `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(utf8Name)}`;
