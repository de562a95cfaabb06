/** A phone number as users type it: digits, an optional leading `+`, spaces, dots, dashes, brackets. */
const PHONE = /^\+?[0-9][0-9 ().-]*$/;

/**
 * The user of a (business, user) pair as the pair rate limit counts them: a phone number by its
 * digits only (`+1 (555) 000-1111`, `15550001111` and `1 555 000 1111` are one person, as for Meta),
 * anything else (a BSUID such as `US.1349...`, a username, a group id) exactly as given.
 */
export function pairRecipientKey(recipient: string): string {
  const trimmed = recipient.trim();
  return PHONE.test(trimmed) ? trimmed.replace(/[^0-9]/g, '') : recipient;
}
