import { usChar } from '../gate/keymap';

/** What a pairing looks like: the hub's QR (`{"url", "code"}`), or its address then the code. */
export function looksLikePairing(text: string): boolean {
  return /^\s*\{\s*"url"\s*:/.test(text) || /^\s*https?:\/\/\S+\s+\S+/.test(text);
}

/**
 * Recovers what a USB scanner meant to type into the pairing field. A scanner sends the
 * physical keys of a US layout; on a French AZERTY system the QR's JSON then arrives as
 * other characters (`{"url":` as `¨3urlM3`…). The field keeps what the system reported; this
 * rebuilds the US reading from the physical keys (`KeyboardEvent.code` and Shift, as the
 * gate does for badges) so that either reading can be sent.
 */
export class ScannedText {
  /** The US-layout reading of what was typed since the field was empty; null once unknown. */
  private us: string | null = '';

  /** Feeds a key pressed in the field. */
  key(e: Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>): void {
    if (e.key === 'Enter' || e.key === 'Shift') return;
    if (this.us === null) return;
    // AZERTY's ^ and ¨ keys are dead keys: their physical key still says what was meant.
    if ((e.key.length !== 1 && e.key !== 'Dead') || e.ctrlKey || e.altKey || e.metaKey) {
      // Editing (Backspace, arrows, a paste): the reading by keys no longer follows the field.
      this.us = null;
      return;
    }
    const ch = usChar(e.code, e.shiftKey);
    this.us = ch === null ? null : this.us + ch;
  }

  /** The field was emptied (or its text replaced whole): start over. */
  reset(): void {
    this.us = '';
  }

  /** The text to send: as typed when it reads as a pairing, else the US reading if that does. */
  pick(typed: string): string {
    if (looksLikePairing(typed) || this.us === null) return typed;
    return looksLikePairing(this.us) ? this.us : typed;
  }
}
