import type { Lang } from '../i18n/dictionaries';

/**
 * The audit log and the revocations record who acted as "Name (staff-id)"; a screen shows the
 * name alone (the id stays in the record and the CLI). The command line acts as `cli`: said in words.
 */
export function actorName(actor: string, lang: Lang = 'fr'): string {
  if (actor === 'cli') return lang === 'en' ? 'command line' : 'ligne de commande';
  const m = /^(.*\S)\s+\([0-9a-f-]{8,}\)$/.exec(actor);
  return m ? m[1] : actor;
}
