/**
 * An audit entry's detail (JSON as stored, hash-chained) as lines a person reads: one
 * "field: value" per line, a list of changes one change a line, no braces or quotes.
 * Anything that is not JSON is shown as it is.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function plain(v: Json): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.map(plain).join(', ');
  if (typeof v === 'object') {
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${plain(x)}`)
      .join(', ');
  }
  return String(v);
}

/**
 * `names`: the paired stations' names by station id (the hub's list): a station named at
 * pairing is said by its name ("Porte Hall (01a249e0)"), not by its id alone.
 */
export function auditDetail(detail: string, names: Record<string, string> = {}): string[] {
  let parsed: Json;
  try {
    parsed = JSON.parse(detail) as Json;
  } catch {
    return [detail];
  }
  if (Array.isArray(parsed)) return parsed.map(plain);
  if (parsed === null || typeof parsed !== 'object') return [plain(parsed)];
  const lines: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    // A list of sentences (an event's changes): one a line.
    if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string' && x.includes(' '))) {
      lines.push(...(value as string[]));
    } else if (typeof value === 'string' && names[value]) {
      lines.push(`${key}: ${names[value]} (${value.slice(0, 8)})`);
    } else {
      lines.push(`${key}: ${plain(value)}`);
    }
  }
  return lines;
}
