/**
 * Issue 17's console settings: kiosk mode per station (Stations tab) and automatic backups
 * (Backup tab): French (the default) and English; spread into the app's dictionaries.
 */
export const settingsFr = {
  'stations.col.kiosk': 'Kiosque',
  'stations.kiosk.asked.on': 'demandé',
  'stations.kiosk.asked.off': 'retiré',
  'stations.kiosk.asked.none': 'non demandé',
  'stations.kiosk.applied.on': 'appliqué : plein écran',
  'stations.kiosk.applied.off': 'appliqué : fenêtre normale',
  'stations.kiosk.applied.none': 'pas encore appliqué',
  'stations.kiosk.waiting': 'en attente du poste (à sa prochaine synchronisation et dans sa fenêtre)',
  'stations.kiosk.on': 'Mettre en kiosque',
  'stations.kiosk.off': 'Retirer le kiosque',
  'stations.kiosk.doneOn': '« {name} » passera en mode kiosque à sa prochaine synchronisation.',
  'stations.kiosk.doneOff': '« {name} » quittera le mode kiosque à sa prochaine synchronisation.',
  'stations.kiosk.hint':
    'Un poste en kiosque occupe tout l’écran, sans bordure ; le fermer ou quitter son écran demande le code PIN d’un organisateur ou d’un superviseur.',
  'backup.auto.title': 'Sauvegardes automatiques',
  'backup.auto.intro':
    'Une sauvegarde toutes les N minutes dans un dossier de ce poste (une clé USB), en gardant les dernières. La phrase secrète reste en mémoire seulement, jamais sur le disque : après un redémarrage, il faut la saisir à nouveau.',
  'backup.auto.every': 'Toutes les (minutes)',
  'backup.auto.keepHint': 'Sauvegardes gardées',
  'backup.auto.passphraseKeep': 'Phrase secrète (vide : garder celle en mémoire)',
  'backup.auto.on': 'Activer les sauvegardes automatiques',
  'backup.auto.change': 'Modifier',
  'backup.auto.off': 'Arrêter les sauvegardes automatiques',
  'backup.auto.stateOff': 'Sauvegardes automatiques arrêtées.',
  'backup.auto.stateOn': 'Sauvegardes automatiques : toutes les {every} min dans {folder}, les {keep} dernières gardées.',
  'backup.auto.paused':
    'Sauvegardes automatiques en pause : saisissez la phrase secrète (ce poste a redémarré et ne la garde jamais sur le disque).',
  'backup.auto.resume': 'Reprendre',
  'backup.auto.last': 'Dernière sauvegarde : {when} — {file}',
  'backup.auto.never': 'Aucune sauvegarde automatique faite pour le moment.',
  'backup.auto.next': 'Prochaine : {when}',
  'backup.auto.failed': 'La dernière sauvegarde a échoué ({when}, {count} échec(s) de suite) : {why}',
} as const;

export const settingsEn: Record<keyof typeof settingsFr, string> = {
  'stations.col.kiosk': 'Kiosk',
  'stations.kiosk.asked.on': 'asked',
  'stations.kiosk.asked.off': 'taken off',
  'stations.kiosk.asked.none': 'not asked',
  'stations.kiosk.applied.on': 'applied: full screen',
  'stations.kiosk.applied.off': 'applied: ordinary window',
  'stations.kiosk.applied.none': 'not applied yet',
  'stations.kiosk.waiting': 'waiting for the station (its next sync, then its window)',
  'stations.kiosk.on': 'Make it a kiosk',
  'stations.kiosk.off': 'Take kiosk off',
  'stations.kiosk.doneOn': '“{name}” goes to kiosk mode at its next sync.',
  'stations.kiosk.doneOff': '“{name}” leaves kiosk mode at its next sync.',
  'stations.kiosk.hint':
    'A kiosk station fills the screen with no window border; closing it or leaving its screen needs an organiser’s or a supervisor’s PIN.',
  'backup.auto.title': 'Automatic backups',
  'backup.auto.intro':
    'A backup every N minutes into a folder of this station (a USB stick), keeping the last ones. The passphrase stays in memory only, never on disk: after a restart it must be entered again.',
  'backup.auto.every': 'Every (minutes)',
  'backup.auto.keepHint': 'Backups kept',
  'backup.auto.passphraseKeep': 'Passphrase (empty: keep the one in memory)',
  'backup.auto.on': 'Switch automatic backups on',
  'backup.auto.change': 'Change',
  'backup.auto.off': 'Switch automatic backups off',
  'backup.auto.stateOff': 'Automatic backups are off.',
  'backup.auto.stateOn': 'Automatic backups: every {every} min into {folder}, the last {keep} kept.',
  'backup.auto.paused':
    'Automatic backups paused: enter the passphrase (this station restarted and never keeps it on disk).',
  'backup.auto.resume': 'Resume',
  'backup.auto.last': 'Last backup: {when} — {file}',
  'backup.auto.never': 'No automatic backup made yet.',
  'backup.auto.next': 'Next: {when}',
  'backup.auto.failed': 'The last backup failed ({when}, {count} failure(s) in a row): {why}',
};
