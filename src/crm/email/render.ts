import type { ObjectType } from '../objects/object-types.js';

/** The records a message can draw merge fields from, by the name used in templates. */
export const mergeScopes = { contact: 'contacts', company: 'companies', deal: 'deals' } as const;
export type MergeScope = keyof typeof mergeScopes;

const token = /\{\{\s*([a-z_]+)\.([a-z0-9_]+)\s*(?:\|([^}]*))?\}\}/gi;

export interface MergeField {
  scope: string;
  property: string;
  fallback: string | undefined;
}

/** Every `{{scope.property|default}}` a text uses. */
export function mergeFields(text: string): MergeField[] {
  return [...text.matchAll(token)].map((m) => ({
    scope: (m[1] ?? '').toLowerCase(),
    property: m[2] ?? '',
    fallback: m[3]?.trim(),
  }));
}

export function scopeType(scope: string): ObjectType | undefined {
  return Object.hasOwn(mergeScopes, scope) ? mergeScopes[scope as MergeScope] : undefined;
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

export type MergeValues = Partial<Record<MergeScope, Record<string, string>>>;

/**
 * Replaces merge fields with record values. A missing record or value renders the default
 * after `|` (or nothing). In HTML, values and defaults are escaped, so a contact named
 * `<script>` stays text; the template's own markup is kept as written.
 */
export function renderTemplate(text: string, values: MergeValues, html: boolean): string {
  return text.replace(token, (_all, scope: string, property: string, fallback?: string) => {
    const value = values[scope.toLowerCase() as MergeScope]?.[property];
    const out = value !== undefined && value !== '' ? value : (fallback?.trim() ?? '');
    return html ? escapeHtml(out) : out;
  });
}

/** A plain-text version of an HTML body, for the text part and the logged activity. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
