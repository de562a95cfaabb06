import { describe, expect, it } from '@jest/globals';
import { pairRecipientKey } from './pair-recipient-key.js';

describe('pairRecipientKey', () => {
  it('counts every spelling of one phone number as one user', () => {
    const spellings = [
      '15550001111',
      '+15550001111',
      '1 555 000 1111',
      '+1 (555) 000-1111',
      '+1.555.000.1111',
      ' +1 555-000-1111 ',
    ];
    expect(new Set(spellings.map(pairRecipientKey))).toEqual(new Set(['15550001111']));
  });

  it('keeps BSUIDs, usernames and group ids as they are', () => {
    for (const id of [
      'US.13491208655302741918',
      'US.ENT.11815799212886844830',
      '@maya.ortiz',
      'Y2FwaV9ncm91cDoxNTU1Nzc3MTIzNDoxMjAzNjMzOTk5OTk5OTk5OTk=',
    ]) {
      expect(pairRecipientKey(id)).toBe(id);
    }
  });

  it('does not merge a BSUID with a phone number that shares its digits', () => {
    expect(pairRecipientKey('US.15550001111')).not.toBe(pairRecipientKey('15550001111'));
  });
});
