/**
 * The audit log in words: each action (`staff.create`) and each field of a detail
 * (`serial_block`) as the console says it, in French and in English. The codes stay in
 * the record, the CLI and the filter's values; an action or field not listed here shows
 * as recorded.
 */
import type { Lang } from '../i18n/dictionaries';

type Words = Record<string, [fr: string, en: string]>;

const ACTIONS: Words = {
  'attendee.create': ['Personne enregistrée', 'Person registered'],
  'attendee.document_read': ['Pièce d’identité lue', 'Identity document read'],
  'attendee.erase': ['Données effacées', 'Data erased'],
  'attendee.export': ['Données d’une personne exportées', 'Person’s data exported'],
  'attendee.import': ['Import de participants', 'Attendees imported'],
  'attendee.photo': ['Photo enregistrée', 'Photo saved'],
  'attendee.purge': ['Données purgées après l’événement', 'Data purged after the event'],
  'attendee.status': ['Statut changé', 'Status changed'],
  'attendee.update': ['Fiche modifiée', 'Record changed'],
  'badge.issue': ['Badge émis', 'Badge issued'],
  'badge.print': ['Badge imprimé', 'Badge printed'],
  'badge.revoke': ['Badge révoqué', 'Badge revoked'],
  'badge.template': ['Modèle de badge modifié', 'Badge template changed'],
  'conflict.note': ['Conflit annoté', 'Conflict noted'],
  'demo.attendees': ['Participants de démonstration', 'Demo attendees'],
  'demo.install': ['Événement de démonstration créé', 'Demo event created'],
  'event.update': ['Configuration modifiée', 'Configuration changed'],
  'gate.override': ['Passage forcé par un superviseur', 'Supervisor override'],
  'key.add': ['Clé de signature créée', 'Signing key created'],
  'key.received': ['Clé de signature reçue', 'Signing key received'],
  'key.retire': ['Clé de signature retirée', 'Signing key retired'],
  'staff.create': ['Compte créé', 'Account created'],
  'staff.update': ['Compte modifié', 'Account changed'],
  'sync.join': ['Poste appairé à un hub', 'Station paired with a hub'],
  'sync.pair': ['Poste appairé', 'Station paired'],
  'sync.pair_code': ['Code d’appairage créé', 'Pairing code created'],
  'sync.pair_code_cancel': ['Code d’appairage annulé', 'Pairing code cancelled'],
  'sync.quarantine': ['Poste mis en quarantaine', 'Station quarantined'],
  'sync.quarantine_resolved': ['Quarantaine levée', 'Quarantine resolved'],
  'sync.unpair': ['Poste désappairé', 'Station un-paired'],
};

const FIELDS: Words = {
  active: ['actif', 'active'],
  applied: ['appliquées', 'applied'],
  attendees: ['participants', 'attendees'],
  badges: ['badges', 'badges'],
  badges_issued: ['badges émis', 'badges issued'],
  category: ['catégorie', 'category'],
  changed: ['modifié', 'changed'],
  created: ['créés', 'created'],
  denied_for: ['refusé pour', 'denied for'],
  direction: ['sens', 'direction'],
  erased: ['effacées', 'erased'],
  event: ['événement', 'event'],
  expires_at: ['expire le', 'expires at'],
  file: ['fichier', 'file'],
  first_day: ['premier jour', 'first day'],
  format: ['format', 'format'],
  hub: ['hub', 'hub'],
  id: ['identifiant', 'id'],
  invalid: ['invalides', 'invalid'],
  job: ['travail d’impression', 'print job'],
  key: ['clé', 'key'],
  kid: ['clé', 'key'],
  kinds: ['types', 'kinds'],
  label: ['repère', 'label'],
  name: ['nom', 'name'],
  officer: ['agent', 'officer'],
  overrides: ['passages forcés', 'overrides'],
  photo_sha256: ['empreinte de la photo', 'photo fingerprint'],
  printer: ['imprimante', 'printer'],
  reason: ['motif', 'reason'],
  resolution: ['décision', 'resolution'],
  revoked: ['révoqué', 'revoked'],
  role: ['rôle', 'role'],
  scan: ['passage', 'scan'],
  serial: ['badge', 'badge'],
  serial_block: ['plage de numéros', 'number block'],
  station: ['poste', 'station'],
  status: ['statut', 'status'],
  text: ['texte', 'text'],
  unchanged: ['inchangés', 'unchanged'],
  updated: ['mis à jour', 'updated'],
  url: ['adresse', 'address'],
  version: ['version', 'version'],
  via: ['par', 'via'],
  why: ['pourquoi', 'why'],
  withheld: ['retenues', 'withheld'],
  zone: ['zone', 'zone'],
};

/** Values recorded as codes: roles, statuses, directions, yes and no. */
const VALUES: Words = {
  admin: ['organisateur', 'organiser'],
  desk: ['accueil', 'desk'],
  gate: ['contrôle d’accès', 'gate'],
  preregistered: ['pré-inscrit', 'pre-registered'],
  registered: ['inscrit', 'registered'],
  printed: ['imprimé', 'printed'],
  in: ['entrée', 'in'],
  out: ['sortie', 'out'],
  released: ['libérées', 'released'],
  discarded: ['écartées', 'discarded'],
  true: ['oui', 'yes'],
  false: ['non', 'no'],
};

function pick(words: Words, code: string, lang: Lang): string {
  const w = Object.hasOwn(words, code) ? words[code] : undefined;
  return w ? w[lang === 'fr' ? 0 : 1] : code;
}

/** An audit action in words (`staff.create` → "Compte créé"). */
export function actionName(action: string, lang: Lang): string {
  return pick(ACTIONS, action, lang);
}

/** A detail's field in words (`serial_block` → "plage de numéros"). */
export function fieldName(field: string, lang: Lang): string {
  return pick(FIELDS, field, lang);
}

/** A recorded code value in words (`gate` → "contrôle d’accès"); other values as they are. */
export function valueWords(value: string, lang: Lang): string {
  return pick(VALUES, value, lang);
}
