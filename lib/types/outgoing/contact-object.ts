/** A contact card of a `contacts` message (Meta's shape). */
export interface ContactObject {
  name: {
    formatted_name: string;
    first_name?: string;
    last_name?: string;
    middle_name?: string;
    suffix?: string;
    prefix?: string;
  };
  addresses?: Array<{
    street?: string;
    city?: string;
    state?: string;
    zip?: string;
    country?: string;
    country_code?: string;
    type?: 'HOME' | 'WORK' | (string & {});
  }>;
  /** `YYYY-MM-DD`. */
  birthday?: string;
  emails?: Array<{ email?: string; type?: 'HOME' | 'WORK' | (string & {}) }>;
  org?: { company?: string; department?: string; title?: string };
  phones?: Array<{ phone?: string; type?: string; wa_id?: string }>;
  urls?: Array<{ url?: string; type?: string }>;
}

export interface LocationObject {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface ReactionObject {
  /** The message reacted to (≤ 30 days old). */
  message_id: string;
  /** One emoji; `''` removes the reaction. */
  emoji: string;
}

export interface TextObject {
  /** ≤ 4096 characters. */
  body: string;
  preview_url?: boolean;
}
