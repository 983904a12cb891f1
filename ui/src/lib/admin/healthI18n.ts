/**
 * A station that knows when it cannot be trusted (issue 20): the gate that cannot know the
 * time, and the stations out of contact with the hub. French (the default) and English;
 * spread into the app's dictionaries by `i18n/fr.ts` and `i18n/en.ts`.
 */
export const healthFr = {
  'gate.timeUnknown': "Heure inconnue : réglez l'horloge de ce poste (dernière heure sûre : {time})",
  'gate.timeUnknownHint':
    "Depuis son redémarrage, l'horloge de ce portable est antérieure à la dernière heure reçue du hub, ou trop loin après : aucun badge n'est contrôlé sur une heure devinée. Réglez l'horloge, puis reconnectez le poste au hub : le contrôle reprend dès la synchronisation.",
  'gate.timeUnknownNoVerdict': 'Aucun verdict rendu : contrôlez ce badge à un autre poste.',
  'stations.outOfContact': 'Postes hors contact ({n})',
  'stations.outOfContactHint':
    "Aucun échange avec le hub depuis plus de 5 min : leurs révocations peuvent être anciennes, leurs contrôles ne sont pas encore arrivés ici. Vérifiez leur réseau ou le poste lui-même.",
  'stations.outTag': 'Hors contact',
  'error.unsent': "Pas encore arrivés au hub : {scans} contrôle(s) et {other} autre(s) entrée(s){partial}.",
  'error.unsentPartial': ' (au moins : une partie de la base est illisible)',
  'gate.damagedTitle': 'Base endommagée : ce poste est arrêté',
  'gate.diskFullTitle': 'Disque plein : ce poste ne peut plus rien enregistrer',
};

export const healthEn: Record<keyof typeof healthFr, string> = {
  'gate.timeUnknown': "Time unknown: set this station's clock (last safe time: {time})",
  'gate.timeUnknownHint':
    "Since it restarted, this laptop's clock reads before the last time received from the hub, or too long after: no badge is checked on a guessed time. Set the clock, then reconnect the station to the hub: checking resumes as soon as it syncs.",
  'gate.timeUnknownNoVerdict': 'No verdict given: check this badge at another station.',
  'stations.outOfContact': 'Stations out of contact ({n})',
  'stations.outOfContactHint':
    'No exchange with the hub for more than 5 min: their revocations may be old, their scans have not arrived here yet. Check their network or the station itself.',
  'stations.outTag': 'Out of contact',
  'error.unsent': 'Not at the hub yet: {scans} scan(s) and {other} other entr(ies){partial}.',
  'error.unsentPartial': ' (at least: part of the database cannot be read)',
  'gate.damagedTitle': 'Database damaged: this station is stopped',
  'gate.diskFullTitle': 'Disk full: this station cannot record anything',
};
