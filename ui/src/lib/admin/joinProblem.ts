import type { BackendError } from '../backend';

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
 * Why joining a hub failed, from the core's `{code, message}`.
 *
 * The code decides, except for `conflict`, which the core gives for three different
 * refusals (a code already used, a hub that does not answer, a station already paired):
 * those are told apart by the core's wording (`sync::client`, `sync::hub`,
 * `sync::join_fresh`); an unknown wording gets the general explanation, with the core's
 * message shown as the detail anyway.
 */
export function joinProblem(err: Pick<BackendError, 'code' | 'message'>): JoinProblem {
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
