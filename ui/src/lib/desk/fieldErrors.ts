/**
 * The registry refuses an attendee with one `bad_input` error whose message lists every
 * refused field: `"family_name: the family name is missing; email: \"x\" is not an e-mail address"`.
 * This splits it back into a message per field so the form can show each one in place.
 * Anything that does not name a known field is kept under `''` (shown above the form).
 */
export const FORM_FIELDS = [
  'external_ref',
  'given_names',
  'family_name',
  'organisation',
  'job_title',
  'country',
  'category',
  'delegation',
  'email',
  'phone',
  'doc_type',
  'doc_number',
  'zones_override',
  'days_override',
  'notes',
] as const;

export type FormField = (typeof FORM_FIELDS)[number];

export type FieldErrors = Partial<Record<FormField | '', string>>;

function isField(name: string): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

export function splitFieldErrors(message: string): FieldErrors {
  const out: FieldErrors = {};
  // Split on "; " only where the next part starts with "<field>:" so a value containing "; " survives.
  const parts = message.split(/;\s+(?=[a-z_]+:\s)/);
  for (const part of parts) {
    const m = /^([a-z_]+):\s*([\s\S]*)$/.exec(part.trim());
    if (m && isField(m[1])) {
      out[m[1]] = out[m[1]] ? `${out[m[1]]}; ${m[2]}` : m[2];
    } else if (part.trim() !== '') {
      out[''] = out[''] ? `${out['']}; ${part.trim()}` : part.trim();
    }
  }
  return out;
}
