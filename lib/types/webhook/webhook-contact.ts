/**
 * A `value.contacts[]` entry: who sent the messages of the change. Since the 2026 business-scoped
 * user ids (BSUID), `wa_id` may be absent for users who hide their number behind a username.
 */
export interface WebhookContact {
  wa_id?: string;
  /** Business-scoped user id (BSUID), e.g. `US.13491208655302741918`. */
  user_id?: string;
  /** BSUID of the parent business, for businesses in a portfolio. */
  parent_user_id?: string;
  /** Hash of the user's identity key, when identity change checks are on. */
  identity_key_hash?: string;
  profile?: { name?: string; username?: string };
}
