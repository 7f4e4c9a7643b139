import type { ReporterView } from '@gridcase/contracts';
import { type Lang, t } from './i18n.ts';

/** A piece of text to show, a link when `href` is set. Always shown as text (never read as HTML). */
export interface Shown {
  text: string;
  href?: string;
}

/** One line of what the desk is shown of a report's reporter: its label (none on the contact line) and its parts. */
export interface ReporterLine {
  key: 'contact' | 'title' | 'description' | 'address' | 'gridCode' | 'communityCode' | 'attachments';
  label?: string;
  parts: Shown[];
}

/** A link only for an http(s) URL (a javascript:, data: or anything else is shown as text, never opened). */
export function attachmentShown(url: string): Shown {
  let scheme: string | undefined;
  try {
    scheme = new URL(url).protocol;
  } catch {
    scheme = undefined;
  }
  return scheme === 'http:' || scheme === 'https:' ? { text: url, href: url } : { text: url };
}

/**
 * The lines the page shows of one report's reporter, exactly as intake gave them to this reader (whole or
 * masked: the page never unmasks): the contact line (anonymous, name, phone, email, ID number, and that it is
 * masked), then the title, description, address and the location's grid and community codes as the sender wrote
 * them and the attachments' URLs as sent, where intake masked numbers in them. A line with nothing to show is left out; no line at all for a report that
 * gave nothing. A phone or email is a tel:/mailto: link only when shown whole.
 */
export function reporterLines(lang: Lang, r: ReporterView): ReporterLine[] {
  const lines: ReporterLine[] = [];
  const contact: Shown[] = [];
  if (r.anonymous) contact.push({ text: t(lang, 'reporter.anonymous') });
  if (r.name) contact.push({ text: r.name });
  if (r.phone) contact.push(r.masked ? { text: r.phone } : { text: r.phone, href: `tel:${r.phone}` });
  if (r.email) contact.push(r.masked ? { text: r.email } : { text: r.email, href: `mailto:${r.email}` });
  if (r.idNumber) contact.push({ text: `${t(lang, 'reporter.idNumber')} ${r.idNumber}` });
  if (contact.length > 0) lines.push({ key: 'contact', parts: r.masked ? [...contact, { text: t(lang, 'reporter.masked') }] : contact });
  const written = r.written ?? {};
  for (const key of ['title', 'description', 'address', 'gridCode', 'communityCode'] as const) {
    const text = written[key];
    if (text) lines.push({ key, label: t(lang, `reporter.written.${key}`), parts: [{ text }] });
  }
  const attachments = (written.attachments ?? []).filter((url) => url !== '');
  if (attachments.length > 0) lines.push({ key: 'attachments', label: t(lang, 'reporter.written.attachments'), parts: attachments.map(attachmentShown) });
  return lines;
}
