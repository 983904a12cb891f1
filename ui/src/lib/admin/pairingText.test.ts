import { describe, expect, it } from 'vitest';
import { azertyReported } from '../gate/keymap';
import { looksLikePairing, ScannedText } from './pairingText';

const QR = '{"url":"https://192.168.1.10:8443","code":"7K3M-Q9TX-B2LD.0a1b2c"}';

/** Feeds `text` as a US-layout scanner types it on an AZERTY system; returns what the field shows. */
function typeOnAzerty(scanned: ScannedText, text: string): string {
  let shown = '';
  for (const ch of text) {
    const r = azertyReported(ch);
    if (!r) throw new Error(`no key for ${ch}`);
    scanned.key({ key: r.key, code: r.code, shiftKey: r.shift, ctrlKey: false, altKey: false, metaKey: false });
    shown += r.key;
  }
  return shown;
}

describe('pairing text from a scanner', () => {
  it('recognises the QR and the typed forms', () => {
    expect(looksLikePairing(QR)).toBe(true);
    expect(looksLikePairing('https://10.0.0.2:8443 ABCD-EFGH.f00d')).toBe(true);
    expect(looksLikePairing('BMX-000001')).toBe(false);
    expect(looksLikePairing('https://10.0.0.2:8443')).toBe(false);
  });

  it('rebuilds the QR a US-layout scanner typed on an AZERTY system', () => {
    const scanned = new ScannedText();
    const shown = typeOnAzerty(scanned, QR);
    expect(shown.startsWith('¨%url')).toBe(true);
    expect(shown).not.toBe(QR);
    expect(looksLikePairing(shown)).toBe(false);
    expect(scanned.pick(shown)).toBe(QR);
  });

  it('reads AZERTY dead keys by their physical key', () => {
    const scanned = new ScannedText();
    for (const ch of QR) {
      const r = azertyReported(ch);
      if (!r) throw new Error(`no key for ${ch}`);
      const key = r.key === '¨' || r.key === '^' ? 'Dead' : r.key;
      scanned.key({ key, code: r.code, shiftKey: r.shift, ctrlKey: false, altKey: false, metaKey: false });
    }
    expect(scanned.pick('%url%M%https!!...')).toBe(QR);
  });

  it('keeps what was typed when it reads as a pairing, or once the field was edited', () => {
    const scanned = new ScannedText();
    for (const ch of QR) {
      scanned.key({ key: ch, code: 'Unidentified', shiftKey: false, ctrlKey: false, altKey: false, metaKey: false });
    }
    expect(scanned.pick(QR)).toBe(QR);

    const edited = new ScannedText();
    const shown = typeOnAzerty(edited, QR);
    edited.key({ key: 'Backspace', code: 'Backspace', shiftKey: false, ctrlKey: false, altKey: false, metaKey: false });
    expect(edited.pick(shown.slice(0, -1))).toBe(shown.slice(0, -1));
    edited.reset();
    expect(edited.pick(typeOnAzerty(edited, QR))).toBe(QR);
  });
});
