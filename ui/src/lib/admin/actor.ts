/**
 * The audit log and the revocations record who acted as "Name (staff-id)"; a screen shows the
 * name alone (the id stays in the record and the CLI).
 */
export function actorName(actor: string): string {
  const m = /^(.*\S)\s+\([0-9a-f-]{8,}\)$/.exec(actor);
  return m ? m[1] : actor;
}
