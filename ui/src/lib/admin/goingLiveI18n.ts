/**
 * Going live (issue 21, second part): printed badges and access changes, the configuration pushed
 * live to open screens, the desk's PDF fallback, demo PINs on every screen, the template's logo.
 * French (the default) and English; spread into the app's dictionaries by `i18n/fr.ts` and `en.ts`.
 */
export const goingLiveFr = {
  'live.demoPins':
    'PIN de démonstration encore actifs sur {n} {n|compte|comptes} : 1111, 2222, 3333 et 4444 sont publiés, n’importe qui peut s’en servir. Changez-les dans Console › Configuration avant d’ouvrir.',
  'live.followed': 'La configuration a changé sur un autre poste : cet écran la montre.',
  'live.changedWhileEditing':
    'La configuration a changé sur un autre poste pendant votre modification : l’enregistrer serait refusé. Rechargez, puis refaites-la.',
  'live.zoneNoDay':
    'Zone {code} : cochez au moins un jour d’ouverture (une zone sans jour cochée serait fermée tous les jours).',
  'live.impact.title': '{n} badges déjà imprimés gardent leurs anciens accès',
  'live.impact.titleOne': '1 badge déjà imprimé garde ses anciens accès',
  'live.impact.intro':
    'Cette modification change ce que leur badge accorde (jours, zones, validité). Un badge imprimé ne change pas : son QR garde les accès qu’il avait.',
  'live.impact.list': 'Badges concernés : {list}.',
  'live.impact.someOf': 'Parmi eux : {list}…',
  'live.impact.reissueHint':
    'Réémettre : chacun reçoit une nouvelle version de son badge, l’ancien QR est refusé comme « remplacé » aux entrées, et la personne repasse « Pré-inscrit » pour recevoir son nouveau badge à l’accueil.',
  'live.impact.reissue': 'Enregistrer et réémettre ces {n} badges',
  'live.impact.reissueOne': 'Enregistrer et réémettre ce badge',
  'live.impact.keep': 'Enregistrer sans réémettre (anciens accès gardés)',
  'live.impact.cancel': 'Annuler',
  'live.impact.reissued':
    'Configuration enregistrée ; {n} badge(s) réémis : les personnes concernées repassent « Pré-inscrit », à réimprimer à l’accueil.',
  'desk.pdf.make': 'Badge en PDF',
  'desk.pdf.remake': 'Nouveau badge en PDF…',
  'desk.pdf.hint':
    'Aucune imprimante choisie pour ce poste : le badge se fait en PDF (téléchargé), à imprimer avec la boîte d’impression du système. Il est inscrit au journal d’impression comme un badge imprimé.',
  'desk.pdf.downloaded': 'PDF {name} téléchargé (version {version}) et inscrit au journal d’impression : imprimez-le maintenant.',
  'desk.pdf.saved': 'PDF enregistré dans {path} (version {version}) et inscrit au journal d’impression : imprimez-le maintenant.',
  'desk.pdf.open': 'Ouvrir le PDF pour l’imprimer',
  'tpl.eventName': 'Nom de l’événement sur le badge : {name} (celui de Configuration, modifiable là).',
  'tpl.logo.legend': 'Logo',
  'tpl.logo.builtin': 'Logo intégré (BAMEX’25).',
  'tpl.logo.alt': 'Logo de l’événement',
  'tpl.logo.choose': 'Choisir le logo de l’événement (PNG ou SVG)',
  'tpl.logo.hint': 'PNG ou SVG, 512 Ko au plus, 32 à 4096 pixels de côté, au plus 6 fois plus large que haut. Il est mis à l’échelle dans l’en-tête, proportions gardées.',
  'tpl.logo.remove': 'Revenir au logo intégré',
  'tpl.logo.type': '« {name} » n’est ni un PNG ni un SVG.',
  'tpl.logo.size': '« {name} » fait {kb} Ko : {max} Ko au plus.',
  'tpl.logo.unreadable': '« {name} » ne se lit pas comme une image.',
  'tpl.logo.pixels': '« {name} » fait {w}×{h} pixels : chaque côté doit faire de {min} à {max} pixels.',
  'tpl.logo.ratio': '« {name} » fait {w}×{h} pixels : plus de {ratio} fois plus large que haut (ou l’inverse).',
};

export const goingLiveEn: Record<keyof typeof goingLiveFr, string> = {
  'live.demoPins':
    'Demo PINs still active on {n} {n|account|accounts}: 1111, 2222, 3333 and 4444 are published, anyone can use them. Change them in Console › Setup before opening.',
  'live.followed': 'The setup changed on another station: this screen shows it.',
  'live.changedWhileEditing':
    'The setup changed on another station while you were editing: saving would be refused. Reload, then make your change again.',
  'live.zoneNoDay': 'Zone {code}: tick at least one day it is open (a zone with no day ticked would be closed every day).',
  'live.impact.title': '{n} badges already printed keep their old access',
  'live.impact.titleOne': '1 badge already printed keeps its old access',
  'live.impact.intro':
    'This change alters what their badge grants (days, zones, validity). A printed badge does not change: its QR keeps the access it had.',
  'live.impact.list': 'Badges concerned: {list}.',
  'live.impact.someOf': 'Among them: {list}…',
  'live.impact.reissueHint':
    'Reissue: each gets a new version of their badge, the old QR is refused as "superseded" at the gates, and the person goes back to "Pre-registered" to collect the new badge at the desk.',
  'live.impact.reissue': 'Save and reissue these {n} badges',
  'live.impact.reissueOne': 'Save and reissue this badge',
  'live.impact.keep': 'Save without reissuing (old access kept)',
  'live.impact.cancel': 'Cancel',
  'live.impact.reissued':
    'Setup saved; {n} badge(s) reissued: those people are back to "Pre-registered", to be reprinted at the desk.',
  'desk.pdf.make': 'Badge as PDF',
  'desk.pdf.remake': 'New badge as PDF…',
  'desk.pdf.hint':
    'No printer chosen for this station: the badge is made as a PDF (downloaded), to print with the system’s print dialog. It goes into the print log like a printed badge.',
  'desk.pdf.downloaded': 'PDF {name} downloaded (version {version}) and recorded in the print log: print it now.',
  'desk.pdf.saved': 'PDF saved in {path} (version {version}) and recorded in the print log: print it now.',
  'desk.pdf.open': 'Open the PDF to print it',
  'tpl.eventName': 'Event name on the badge: {name} (the one in Setup, edited there).',
  'tpl.logo.legend': 'Logo',
  'tpl.logo.builtin': 'Built-in logo (BAMEX’25).',
  'tpl.logo.alt': 'The event’s logo',
  'tpl.logo.choose': 'Choose the event’s logo (PNG or SVG)',
  'tpl.logo.hint': 'PNG or SVG, at most 512 KB, 32 to 4096 pixels a side, at most 6 times wider than tall. It is scaled into the header, proportions kept.',
  'tpl.logo.remove': 'Back to the built-in logo',
  'tpl.logo.type': '“{name}” is neither a PNG nor an SVG.',
  'tpl.logo.size': '“{name}” is {kb} KB: at most {max} KB.',
  'tpl.logo.unreadable': '“{name}” cannot be read as an image.',
  'tpl.logo.pixels': '“{name}” is {w}×{h} pixels: each side must be {min} to {max} pixels.',
  'tpl.logo.ratio': '“{name}” is {w}×{h} pixels: more than {ratio} times wider than tall (or the reverse).',
};
