import type { Direction, Reason, Verdict } from '../bindings';
import { translate, type Lang, type MessageKey } from '../i18n';

/** The i18n key of each verdict reason of the CLI contract (exhaustive: the compiler checks it). */
const REASON_KEYS: Record<Reason, MessageKey> = {
  ok: 'gate.reason.ok',
  reentry: 'gate.reason.reentry',
  malformed: 'gate.reason.malformed',
  forged: 'gate.reason.forged',
  unknown_key: 'gate.reason.unknown_key',
  other_event: 'gate.reason.other_event',
  not_yet_valid: 'gate.reason.not_yet_valid',
  expired: 'gate.reason.expired',
  not_valid_today: 'gate.reason.not_valid_today',
  zone_not_allowed: 'gate.reason.zone_not_allowed',
  zone_closed: 'gate.reason.zone_closed',
  revoked: 'gate.reason.revoked',
  superseded: 'gate.reason.superseded',
  already_inside: 'gate.reason.already_inside',
  zone_full: 'gate.reason.zone_full',
  not_cleared: 'gate.reason.not_cleared',
};

export const ALL_REASONS = Object.keys(REASON_KEYS) as Reason[];

export function reasonKey(reason: Reason, direction: Direction): MessageKey {
  return reason === 'ok' && direction === 'out' ? 'gate.reason.okOut' : REASON_KEYS[reason];
}

/** "7 déc." / "7 Dec": a badge's day (an event-calendar ISO date). */
function shortDay(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T12:00:00Z`));
}

/**
 * The reason line of a verdict in words, with what the code alone does not say: from when a
 * badge is valid ("Pas encore valide — à partir du 7 déc."), when it expired ("Expiré le
 * 9 déc."), why it was revoked ("Badge révoqué — déclaré volé").
 */
export function verdictReason(
  v: Pick<Verdict, 'reason' | 'direction' | 'valid_from' | 'valid_until' | 'revoked_reason'>,
  lang: Lang,
): string {
  const base = translate(lang, reasonKey(v.reason, v.direction));
  if (v.reason === 'not_yet_valid' && v.valid_from)
    return translate(lang, 'gate.reason.notYetValidFrom', { date: shortDay(v.valid_from, lang) });
  if (v.reason === 'expired' && v.valid_until)
    return translate(lang, 'gate.reason.expiredOn', { date: shortDay(v.valid_until, lang) });
  if (v.reason === 'revoked' && v.revoked_reason) return `${base} — ${v.revoked_reason}`;
  return base;
}

/** Whether the photo on file can be trusted as the badge's: both hashes known and equal. */
export type PhotoCheck = 'verified' | 'mismatch' | 'missing';

export function photoCheck(tokenHash: string | null, storedHash: string | null): PhotoCheck {
  if (storedHash === null) return 'missing';
  return tokenHash !== null && tokenHash.toLowerCase() === storedHash.toLowerCase() ? 'verified' : 'mismatch';
}
