/**
 * Issue 18's sites on the central hub's Stations tab: each site hub paired with the role `site`,
 * its link and its backlog both ways. French (the default) and English; spread into the app's
 * dictionaries.
 */
export const sitesFr = {
  'sync.role.site': 'hub de site',
  'sites.title': 'Sites',
  'sites.hint':
    'Chaque site a son propre hub, appairé ici comme site : il travaille seul quand le lien est coupé et remonte les entrées de ses postes dès qu’il revient.',
  'sites.col.site': 'Site',
  'sites.col.link': 'Lien',
  'sites.col.relays': 'Postes relayés',
  'sites.col.up': 'Pas encore remontées',
  'sites.col.down': 'Pas encore reçues par le site',
  'sites.up': 'en service',
  'sites.down': 'COUPÉ',
  'sites.unpaired': 'désappairé',
  'sites.since': 'dernier contact : {when}',
} as const;

export const sitesEn: Record<keyof typeof sitesFr, string> = {
  'sync.role.site': 'site hub',
  'sites.title': 'Sites',
  'sites.hint':
    'Each site runs its own hub, paired here as a site: it works alone while its link is down and relays its stations’ entries up as soon as it is back.',
  'sites.col.site': 'Site',
  'sites.col.link': 'Link',
  'sites.col.relays': 'Stations relayed',
  'sites.col.up': 'Not relayed up yet',
  'sites.col.down': 'Not received by the site yet',
  'sites.up': 'up',
  'sites.down': 'DOWN',
  'sites.unpaired': 'unpaired',
  'sites.since': 'last contact: {when}',
};
