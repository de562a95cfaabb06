// Temporary: minimal webhook envelopes until the testing kit's builders are used.
import { FAKE_IDS } from 'nestjs-whatsapp-cloud/testing';

let seq = 0;
export const USER = { wa_id: '12025550147', name: 'Maya Ortiz' };

function envelope(field: string, value: Record<string, unknown>): object {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: FAKE_IDS.businessAccountId, changes: [{ field, value }] }],
  };
}

function metadata(): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550001111', phone_number_id: FAKE_IDS.phoneNumberId },
  };
}

export function message(type: string, content: Record<string, unknown>): object {
  seq += 1;
  return envelope('messages', {
    ...metadata(),
    contacts: [{ profile: { name: USER.name }, wa_id: USER.wa_id }],
    messages: [
      { from: USER.wa_id, id: `wamid.test-${seq}`, timestamp: '1767611500', type, ...content },
    ],
  });
}

export function status(status: string, extra: Record<string, unknown> = {}): object {
  seq += 1;
  return envelope('messages', {
    ...metadata(),
    statuses: [
      {
        id: `wamid.out-${seq}`,
        status,
        timestamp: '1767611500',
        recipient_id: USER.wa_id,
        ...extra,
      },
    ],
  });
}

export function event(field: string, value: Record<string, unknown>): object {
  return envelope(field, value);
}
