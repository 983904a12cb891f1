import type { BackendError } from '../backend';

/** The core catalogue's keys (`crates/gatehouse-core/src/messages.rs`) and the explanation each gets. */
const BY_KEY: Record<string, JoinProblem> = {
  hub_needs_https: 'insecure',
  hub_url: 'badInput',
  code_format: 'badInput',
  pairing_qr: 'badInput',
  pairing_empty: 'badInput',
  pairing_text: 'badInput',
  code_unknown: 'wrongCode',
  hub_unproven: 'unproven',
  code_used: 'used',
  hub_unreachable: 'unreachable',
  already_paired: 'paired',
};

/** Which plain-words explanation a refused join gets (`join.err.*` in `joinI18n.ts`). */
export type JoinProblem =
  | 'badInput'
  | 'insecure'
  | 'wrongCode'
  | 'unproven'
  | 'used'
  | 'unreachable'
  | 'paired'
  | 'other';

/**
 * Why joining a hub failed, from the core's `{code, key, message}`.
 *
 * The catalogue's key decides; without one (a core that did not send it), the code, and
 * for `conflict`, which the core gives for three different refusals (a code already used,
 * a hub that does not answer, a station already paired), the core's English wording; an
 * unknown one gets the general explanation, with the core's message shown as the detail anyway.
 */
export function joinProblem(err: Pick<BackendError, 'code' | 'message' | 'key'>): JoinProblem {
  const byKey = err.key === undefined ? undefined : BY_KEY[err.key];
  if (byKey) return byKey;
  switch (err.code) {
    case 'bad_input':
      // `http://`: the hub speaks only https (its certificate pinned by the code).
      return err.message.includes('speaks only https') ? 'insecure' : 'badInput';
    case 'forbidden':
      // The hub proved the code over another certificate than this connection's.
      return err.message.includes('did not prove') ? 'unproven' : 'wrongCode';
    case 'unauthenticated':
    case 'not_found':
      return 'wrongCode';
    case 'conflict': {
      const m = err.message.toLowerCase();
      if (m.includes('already used')) return 'used';
      if (m.includes('unreachable')) return 'unreachable';
      if (m.includes('already paired')) return 'paired';
      return 'other';
    }
    default:
      return 'other';
  }
}
