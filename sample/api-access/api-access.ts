/**
 * Who may call the sample's REST routes (POST /notify, POST /templates, GET /conversations/:user), which send with
 * your WhatsApp number or read what your customers wrote:
 * with `token`, only requests carrying `Authorization: Bearer <token>`; without one, anybody in sandbox mode
 * (fake credentials, loopback) and nobody with Meta's credentials.
 */
export interface ApiAccess {
  /** SAMPLE_API_TOKEN. */
  token?: string;
  /**
   * SAMPLE_ADMIN_TOKEN: the account management routes under /admin (profile, QR codes, blocks; see
   * AdminAccess). Same rule, its own token: a client allowed to send notifications cannot block users.
   */
  adminToken?: string;
  /** True when the sample runs against the local sandbox instead of Meta. */
  sandbox: boolean;
}

/** Injection token of the {@link ApiAccess} the launcher chose. */
export const API_ACCESS = Symbol('API_ACCESS');

/** Shortest SAMPLE_API_TOKEN (and SAMPLE_ADMIN_TOKEN) accepted: guessing it must not be an option. */
export const MIN_API_TOKEN_LENGTH = 16;
