import { describe, expect, it } from 'vitest';
import { actorName } from './actor';

describe('who acted, in words', () => {
  it('drops the staff id after the name', () => {
    expect(actorName('Admin démo (01936f2e-8c1a-7b6e-9f00-123456789abc)')).toBe('Admin démo');
  });
  it('says the command line in words', () => {
    expect(actorName('cli')).toBe('ligne de commande');
    expect(actorName('cli', 'en')).toBe('command line');
  });
  it('leaves anything else as it is', () => {
    expect(actorName('Awa (Porte Nord)')).toBe('Awa (Porte Nord)');
  });
});
