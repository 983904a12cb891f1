/**
 * The registry refuses an attendee with one `bad_input` error whose `fields` list each
 * refused field with its problem (see `FieldProblem` in the bindings). This groups them by
 * form field so the form can say each one in place, in the screen's language. Anything else
 * (another error, or a field the form does not have) is kept as a message for the top of
 * the form.
 */
import type { FieldProblem } from '../bindings';
import type { BackendError } from '../backend';

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
  'birth_date',
  'zones_override',
  'days_override',
  'notes',
] as const;

export type FormField = (typeof FORM_FIELDS)[number];

export type FieldErrors = {
  /** Each refused field's problems, in the order the core found them. */
  fields: Partial<Record<FormField, FieldProblem[]>>;
  /** A refusal that names no field of the form, as the core said it. */
  other?: string;
};

export const NO_ERRORS: FieldErrors = { fields: {} };

function isField(name: string): name is FormField {
  return (FORM_FIELDS as readonly string[]).includes(name);
}

export function fieldErrorsOf(err: Pick<BackendError, 'code' | 'message' | 'fields'>): FieldErrors {
  if (err.code !== 'bad_input' || !err.fields || err.fields.length === 0) {
    return { fields: {}, other: err.message };
  }
  const out: FieldErrors = { fields: {} };
  const other: string[] = [];
  for (const f of err.fields) {
    if (isField(f.field)) {
      (out.fields[f.field] ??= []).push(f.problem);
    } else {
      other.push(`${f.field}: ${f.message}`);
    }
  }
  if (other.length > 0) out.other = other.join('; ');
  return out;
}
