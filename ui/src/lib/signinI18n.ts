/**
 * Sign-in by name then PIN, the supervisor's pick at a gate, the PIN policy by role and the
 * PINs to change before going live (issue 14). French (the default) and English; spread into
 * the app's dictionaries by `i18n/fr.ts` and `i18n/en.ts`.
 */
export const signinFr = {
  'staff.role.supervisor': 'Superviseur',
  'staff.role.vetting': 'Accréditation (sécurité)',
  'signin.who': 'Votre nom',
  'signin.searchHint': 'Début de votre nom…',
  'signin.notMe': 'Ce n’est pas moi',
  'signin.nobody': 'Aucun compte ne peut se connecter à ce poste : voyez l’organisateur.',
  'signin.noMatch': 'Aucun nom ne commence par « {q} ».',
  'gate.override.supervisor': 'Superviseur',
  'gate.override.pickSupervisor': 'Choisissez le superviseur',
  'gate.override.noSupervisor': 'Aucun superviseur ne peut se connecter à ce poste.',
  'problem.pinPolicy':
    'PIN de {min} à {max} chiffres pour ce rôle (organisateurs, superviseurs et accréditation : 8 au moins, les autres : 6).',
  'admin.setup.pinRule':
    'PIN : 8 à 12 chiffres pour les organisateurs, superviseurs et officiers d’accréditation, 6 à 12 pour les autres.',
  'admin.setup.pinShortTag': 'PIN trop court',
  'admin.setup.pinsToChange':
    '{n} {n|compte actif garde|comptes actifs gardent} un PIN de démonstration ou trop court : la mise en service (hub, appairage) est refusée tant qu’{n|il n’a|ils n’ont} pas un nouveau PIN.',
  'stations.pinsToChange':
    'Appairage refusé : ces comptes gardent un PIN de démonstration ou trop court : {names}. Donnez-leur un nouveau PIN dans Configuration, Comptes du personnel (ou `gatehouse staff pin NOM`), puis recommencez.',
};

export const signinEn: Record<keyof typeof signinFr, string> = {
  'staff.role.supervisor': 'Supervisor',
  'staff.role.vetting': 'Vetting (security)',
  'signin.who': 'Your name',
  'signin.searchHint': 'Start of your name…',
  'signin.notMe': 'Not me',
  'signin.nobody': 'No account may sign in at this station: see the organiser.',
  'signin.noMatch': 'No name starts with “{q}”.',
  'gate.override.supervisor': 'Supervisor',
  'gate.override.pickSupervisor': 'Choose the supervisor',
  'gate.override.noSupervisor': 'No supervisor may sign in at this station.',
  'problem.pinPolicy':
    'A PIN of {min} to {max} digits for this role (admins, supervisors and vetting at least 8, others 6).',
  'admin.setup.pinRule': 'PIN: 8 to 12 digits for organisers, supervisors and vetting officers, 6 to 12 for the others.',
  'admin.setup.pinShortTag': 'PIN too short',
  'admin.setup.pinsToChange':
    '{n} active {n|account keeps|accounts keep} a demo or too short PIN: going live (hub, pairing) is refused until {n|it has|they have} a new PIN.',
  'stations.pinsToChange':
    'Pairing refused: these accounts keep a demo or too short PIN: {names}. Give them a new PIN in Setup, Staff accounts (or `gatehouse staff pin NAME`), then try again.',
};
