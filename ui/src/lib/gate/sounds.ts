/**
 * Verdict sounds, generated on the spot with Web Audio oscillators (no audio files,
 * nothing fetched). Admit: two short rising beeps. Warn: two equal mid beeps.
 * Deny: a long low buzz, twice. Distinct enough to tell apart in a noisy hall
 * without looking. Browsers only allow sound after a user gesture: a scanner's
 * keystrokes count; until then the verdict is silent, never an error.
 */
import type { Decision } from '../bindings';

let ctx: AudioContext | null = null;
let rest: ReturnType<typeof setTimeout> | null = null;

/**
 * How long after a verdict's sound the context is suspended. A running AudioContext renders
 * silence without end: in the gate window (WebKitGTK) that took a whole core of a two-core
 * laptop, away from painting the next verdict. Longer than the longest sound (deny, 0.9 s).
 */
const QUIET_AFTER_MS = 1500;

function audio(): AudioContext | null {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    return ctx;
  } catch {
    return null;
  }
}

/** Suspends `ac` once the sound just scheduled is over, unless another comes first. */
function quietLater(ac: AudioContext): void {
  if (rest !== null) clearTimeout(rest);
  rest = setTimeout(() => {
    rest = null;
    ac.suspend().catch(() => undefined);
  }, QUIET_AFTER_MS);
}

function tone(ac: AudioContext, at: number, freq: number, dur: number, type: OscillatorType, volume: number): void {
  const osc = ac.createOscillator();
  const gain = ac.createGain();
  osc.type = type;
  osc.frequency.setValueAtTime(freq, at);
  // Short ramps: no clicks at the edges.
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(volume, at + 0.01);
  gain.gain.setValueAtTime(volume, at + dur - 0.02);
  gain.gain.linearRampToValueAtTime(0, at + dur);
  osc.connect(gain).connect(ac.destination);
  osc.start(at);
  osc.stop(at + dur + 0.01);
}

export function playVerdict(decision: Decision): void {
  const ac = audio();
  if (!ac) return;
  const t = ac.currentTime + 0.005;
  switch (decision) {
    case 'admit':
      tone(ac, t, 880, 0.09, 'sine', 0.35);
      tone(ac, t + 0.11, 1320, 0.14, 'sine', 0.35);
      break;
    case 'warn':
      tone(ac, t, 660, 0.15, 'triangle', 0.4);
      tone(ac, t + 0.22, 660, 0.15, 'triangle', 0.4);
      break;
    case 'deny':
      tone(ac, t, 196, 0.32, 'square', 0.18);
      tone(ac, t + 0.4, 165, 0.45, 'square', 0.18);
      break;
  }
  quietLater(ac);
}
