/**
 * The console's watchlist section (issue 16): import the security services' list, see who
 * is held for review and why. French (the default) and English; spread into the app's
 * dictionaries by `i18n/fr.ts` and `i18n/en.ts`.
 */
export const watchlistFr = {
  'admin.tab.watchlist': 'Liste de surveillance',
  'admin.wl.title': 'Liste de surveillance',
  'admin.wl.hint':
    "La liste des services de sécurité reste sur ce poste : elle n'est jamais envoyée à l'accueil ni aux contrôles, qui ne voient que « en attente d'examen ». Chaque personne inscrite est comparée à la liste à l'import, à l'inscription et à chaque modification.",
  'admin.wl.count': '{count} entrée(s) sur la liste, importée le {at}',
  'admin.wl.none': "Aucune liste importée : personne n'est comparé.",
  'admin.wl.file': 'Fichier CSV ou XLSX (Nom, Alias, Date de naissance, Nationalité, N° document, Référence, Note)',
  'admin.wl.import': 'Remplacer la liste par ce fichier',
  'admin.wl.imported': '{entries} entrée(s) importée(s) ; {held} personne(s) en attente d\'examen, {released} libérée(s).',
  'admin.wl.refused': 'Rien n\'est importé, la liste en place reste : {count} ligne(s) refusée(s).',
  'admin.wl.hits': 'Correspondances ({count})',
  'admin.wl.noHits': 'Aucune personne inscrite ne correspond à la liste.',
  'admin.wl.held': "En attente d'examen",
  'admin.wl.notHeld': 'Non retenu',
  'admin.wl.score': 'Score {score}/100',
  'admin.wl.entry': 'Liste : {reference} — {names}',
  'admin.wl.why': 'Pourquoi',
};

export const watchlistEn: Record<keyof typeof watchlistFr, string> = {
  'admin.tab.watchlist': 'Watchlist',
  'admin.wl.title': 'Watchlist',
  'admin.wl.hint':
    'The security services\' list stays on this station: it is never sent to desks or gates, which see only "held for review". Every attendee is compared with the list at import, at registration and at each edit.',
  'admin.wl.count': '{count} entries on the list, imported on {at}',
  'admin.wl.none': 'No list imported: nobody is compared.',
  'admin.wl.file': 'CSV or XLSX file (Name, Aliases, Date of birth, Nationality, Document numbers, Reference, Note)',
  'admin.wl.import': 'Replace the list with this file',
  'admin.wl.imported': '{entries} entries imported; {held} attendee(s) held for review, {released} released.',
  'admin.wl.refused': 'Nothing imported, the list in place stays: {count} line(s) refused.',
  'admin.wl.hits': 'Matches ({count})',
  'admin.wl.noHits': 'No attendee matches the list.',
  'admin.wl.held': 'Held for review',
  'admin.wl.notHeld': 'Not held',
  'admin.wl.score': 'Score {score}/100',
  'admin.wl.entry': 'List: {reference} — {names}',
  'admin.wl.why': 'Why',
};
