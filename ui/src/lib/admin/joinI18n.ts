/**
 * Joining a hub from the console's Stations tab (`JoinHub.svelte`): French (the default) and
 * English; spread into the app's dictionaries by `i18n/fr.ts` and `i18n/en.ts`.
 */
export const joinFr = {
  'join.title': 'Rejoindre un hub',
  'join.intro':
    'Pour travailler avec les autres postes du site, reliez ce poste au hub : sur le hub, onglet Postes, créez un code d’appairage, puis scannez son QR code ici, ou tapez l’adresse du hub et le code affiché en grand (par exemple 5S65-W8TP-YWHJ).',
  'join.warning':
    'Les données propres à ce poste (l’événement de démonstration, ses participants et ses badges) seront mises de côté : gardées dans un fichier sur ce poste, pas effacées. Le poste redémarrera ensuite sur l’événement du hub, et on s’y connectera avec les codes PIN du personnel du hub.',
  'join.field': 'Code d’appairage (QR scanné, ou adresse puis code)',
  'join.placeholder': 'https://192.168.1.10:7443 7K3M-Q9TX-Z2AB',
  'join.submit': 'Rejoindre le hub',
  'join.joining': 'Connexion au hub et première synchronisation…',
  'join.camera': 'Scanner le QR du hub',
  'join.cameraStop': 'Arrêter la caméra',
  'join.cameraPreview': 'Image de la caméra',
  'join.cameraHint': 'Présentez le QR code affiché par le hub devant la caméra.',
  'join.cameraUnavailable': 'Caméra indisponible : {message}. Tapez l’adresse et le code à la place.',
  'join.joined': 'Relié au hub {hub} (rôle {role}).',
  'join.named': 'Ce poste s’appelle désormais « {name} ».',
  'join.event': 'Événement du hub : {event}',
  'join.restarting': 'Le poste redémarre…',
  'join.restartingHint': 'Il affichera l’événement du hub : connectez-vous alors avec un code PIN du personnel du hub.',
  'join.slow': 'Le poste ne répond pas encore.',
  'join.reload': 'Recharger la page',
  'join.err.badInput':
    'Ce n’est pas un code d’appairage. Scannez le QR code affiché par le hub, ou tapez son adresse puis le code, par exemple : https://192.168.1.10:8443 7K3M-Q9TX-…',
  'join.err.insecure':
    'Le hub ne se joint qu’en https:// (son certificat est vérifié grâce au code). Scannez son QR code, ou tapez l’adresse en https:// telle que le hub l’affiche.',
  'join.err.wrongCode':
    'Code inconnu ou expiré (ou déjà utilisé) : vérifiez-le, ou créez-en un nouveau sur le hub (onglet Postes).',
  'join.err.unproven':
    'Le hub n’a pas prouvé qu’il connaît ce code — mauvaise adresse ou interception ? Ce poste n’a rien enregistré. Vérifiez l’adresse affichée par le hub et que vous êtes sur le réseau du site.',
  'join.err.used':
    'Ce code a déjà servi : un code ne fonctionne qu’une fois. Créez-en un nouveau sur le hub (onglet Postes).',
  'join.err.unreachable':
    'Le hub ne répond pas. Vérifiez que ce poste est sur le même réseau que le hub, que le hub est en marche, et que l’adresse est juste.',
  'join.err.paired': 'Ce poste est déjà relié à un hub. Pour le relier à un autre, désappairez-le d’abord sur le hub.',
  'join.err.other': 'L’appairage a échoué.',
  'join.detail': 'Détail : {message}',
};

export const joinEn: Record<keyof typeof joinFr, string> = {
  'join.title': 'Join a hub',
  'join.intro':
    'To work with the venue’s other stations, link this station to the hub: on the hub, Stations tab, create a pairing code, then scan its QR code here, or type the hub’s address and the code shown in large type (for example 5S65-W8TP-YWHJ).',
  'join.warning':
    'This station’s own data (the demo event, its attendees and badges) will be set aside: kept in a file on this station, not deleted. The station then restarts on the hub’s event, where you sign in with the hub staff’s PINs.',
  'join.field': 'Pairing code (scanned QR, or address then code)',
  'join.placeholder': 'https://192.168.1.10:7443 7K3M-Q9TX-Z2AB',
  'join.submit': 'Join the hub',
  'join.joining': 'Reaching the hub and syncing for the first time…',
  'join.camera': 'Scan the hub’s QR',
  'join.cameraStop': 'Stop the camera',
  'join.cameraPreview': 'Camera image',
  'join.cameraHint': 'Hold the QR code shown by the hub in front of the camera.',
  'join.cameraUnavailable': 'Camera unavailable: {message}. Type the address and the code instead.',
  'join.joined': 'Linked to the hub {hub} (role {role}).',
  'join.named': 'This station is now called “{name}”.',
  'join.event': 'Hub’s event: {event}',
  'join.restarting': 'The station is restarting…',
  'join.restartingHint': 'It will show the hub’s event: then sign in with a PIN of the hub’s staff.',
  'join.slow': 'The station is not answering yet.',
  'join.reload': 'Reload the page',
  'join.err.badInput':
    'This is not a pairing code. Scan the QR code shown by the hub, or type its address then the code, for example: https://192.168.1.10:8443 7K3M-Q9TX-…',
  'join.err.insecure':
    'The hub is reached only over https:// (its certificate is checked against the code). Scan its QR code, or type the address with https:// as the hub shows it.',
  'join.err.wrongCode':
    'Unknown or expired code (or already used): check it, or create a new one on the hub (Stations tab).',
  'join.err.unproven':
    'The hub did not prove it knows this code — wrong address or interception? This station stored nothing. Check the address the hub shows and that you are on the venue’s network.',
  'join.err.used': 'This code was already used: a code works once. Create a new one on the hub (Stations tab).',
  'join.err.unreachable':
    'The hub does not answer. Check that this station is on the same network as the hub, that the hub is running, and that the address is right.',
  'join.err.paired': 'This station is already linked to a hub. To link it to another one, un-pair it on the hub first.',
  'join.err.other': 'Pairing failed.',
  'join.detail': 'Detail: {message}',
};
