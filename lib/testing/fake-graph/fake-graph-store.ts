import { createHash, randomBytes } from 'node:crypto';
import { FakeManagementState } from './fake-graph-management.js';
import { FakeAnalyticsState } from './fake-analytics-routes.js';

/** Objects the fake Graph API knows about; seeded with one WABA, one number and a few templates. */
export interface FakeMedia {
  id: string;
  mimeType: string;
  data: Buffer;
  sha256: string;
  phoneNumberId?: string;
}

export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: Array<Record<string, unknown>>;
  parameter_format?: string;
}

export interface FakePhoneNumber {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  code_verification_status?: string;
  messaging_limit_tier?: string;
  throughput?: { level: string };
  name_status?: string;
}

export interface FakeBusinessAccount {
  id: string;
  name: string;
  currency?: string;
  timezone_id?: string;
}

let counter = 0;

/** A numeric Graph-style id (unique within the process). */
export function fakeId(): string {
  counter += 1;
  return `${Date.now()}${String(counter).padStart(4, '0')}`;
}

/** A `wamid.` message id like Meta's (base64 of a random payload). */
export function fakeWamid(): string {
  return `wamid.HBgL${randomBytes(24).toString('base64')}`;
}

export const FAKE_IDS = {
  phoneNumberId: '106540352242922',
  businessAccountId: '102290129340398',
  businessId: '190000000000001',
} as const;

function defaultTemplates(): FakeTemplate[] {
  const names = ['hello_world', 'order_update', 'appointment_reminder', 'welcome_back', 'otp_code'];
  return names.map((name, i) => ({
    id: String(594425479261596 + i),
    name,
    language: 'en_US',
    status: 'APPROVED',
    category: name === 'otp_code' ? 'AUTHENTICATION' : 'UTILITY',
    components: [{ type: 'BODY', text: `Template ${name} {{1}}` }],
    parameter_format: 'POSITIONAL',
  }));
}

export class FakeGraphStore {
  /** Profiles, PINs, QR codes, blocks, subscriptions, uploads, Embedded Signup codes. */
  management = new FakeManagementState();
  /** Template sends (for template and pricing analytics) and WABAs with insights confirmed. */
  analytics = new FakeAnalyticsState();
  media = new Map<string, FakeMedia>();
  templates: FakeTemplate[] = defaultTemplates();
  phoneNumbers: FakePhoneNumber[] = [
    {
      id: FAKE_IDS.phoneNumberId,
      display_phone_number: '+1 555-010-0000',
      verified_name: 'Fake Business',
      quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED',
      messaging_limit_tier: 'TIER_1K',
      throughput: { level: 'STANDARD' },
    },
  ];
  businessAccounts: FakeBusinessAccount[] = [
    { id: FAKE_IDS.businessAccountId, name: 'Fake WABA', currency: 'USD', timezone_id: '1' },
  ];

  addMedia(data: Buffer, mimeType: string, phoneNumberId?: string): FakeMedia {
    const media: FakeMedia = {
      id: fakeId(),
      mimeType,
      data,
      sha256: createHash('sha256').update(data).digest('hex'),
      phoneNumberId,
    };
    this.media.set(media.id, media);
    return media;
  }
}
