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
  'stations.replace': 'Remplacer ce poste',
  'stations.replaceTitle': 'Remplacer « {name} »',
  'stations.replaceWhat':
    "Code à usage unique pour un poste {role} qui prend la place de « {name} » (sa base est endommagée, ou le portable a changé). Quand il sert, l'ancien poste est désappairé : son accès au hub cesse, ses entrées restent pour l'audit.",
  'stations.replaceDo':
    "Sur le portable qui prend sa place, avec une nouvelle base : lancez cette commande. Elle remet aussi au hub, une seule fois et à leur heure, les contrôles et entrées que l'ancienne base n'avait pas envoyés (lue sans être modifiée).",
  'stations.replaceApp':
    "Sans l'ancienne base, l'application peut aussi rejoindre le hub avec ce code (Postes → Rejoindre un hub).",
  'stations.replaceKeep': "Gardez l'ancienne base, son fichier -wal et son dossier .keys jusqu'à la fin.",
  'stations.replaceNewDb': 'NOUVELLE.db',
  'stations.replaceOldDb': 'ANCIENNE.db',
  'stations.replaceSpent': "Code utilisé : le nouveau poste a pris la place de « {name} ».",
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
  'stations.replace': 'Replace this station',
  'stations.replaceTitle': 'Replace “{name}”',
  'stations.replaceWhat':
    'One-time code for a {role} station that takes the place of “{name}” (its database is damaged, or the laptop changed). Once it is used, the old station is un-paired: its access to the hub stops, its entries stay for the audit.',
  'stations.replaceDo':
    'On the laptop taking its place, with a new database: run this command. It also hands the hub, once and at their own times, the scans and entries the old database had not sent (read without being changed).',
  'stations.replaceApp':
    'Without the old database, the app can also join the hub with this code (Stations → Join a hub).',
  'stations.replaceKeep': 'Keep the old database, its -wal file and its .keys folder until this is done.',
  'stations.replaceNewDb': 'NEW.db',
  'stations.replaceOldDb': 'OLD.db',
  'stations.replaceSpent': 'Code used: the new station has taken the place of “{name}”.',
};
