import { describe, expect, it } from 'vitest';
import type { SignInName } from './bindings';
import { matchNames } from './signin';

const names: SignInName[] = [
  { id: '1', name: 'Awa Traoré', role: 'gate' },
  { id: '2', name: 'Moussa Diarra', role: 'supervisor' },
  { id: '3', name: "Aïcha N'Diaye", role: 'gate' },
];

describe('the sign-in list search', () => {
  it('finds a name by the start of any word, whatever the case and accents', () => {
    expect(matchNames(names, 'tra').map((n) => n.id)).toEqual(['1']);
    expect(matchNames(names, 'TRAORE').map((n) => n.id)).toEqual(['1']);
    expect(matchNames(names, 'aicha').map((n) => n.id)).toEqual(['3']);
    expect(matchNames(names, 'diaye').map((n) => n.id)).toEqual(['3']);
    expect(matchNames(names, 'a').map((n) => n.id)).toEqual(['1', '3']);
    expect(matchNames(names, '  ')).toHaveLength(3);
    expect(matchNames(names, 'x')).toEqual([]);
  });
});
