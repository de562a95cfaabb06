import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { WhatsAppModule } from 'nestjs-whatsapp-cloud';
import { WhatsAppTestApp } from 'nestjs-whatsapp-cloud/testing';
import { BookingFlow } from './booking.flow.js';

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: process.env.WHATSAPP_TOKEN ?? '',
      appSecret: process.env.WHATSAPP_APP_SECRET ?? '',
      flows: { privateKey: process.env.WHATSAPP_FLOWS_PRIVATE_KEY ?? '' },
    }),
  ],
  providers: [BookingFlow],
})
class BookingModule {}

let wa: WhatsAppTestApp;
beforeAll(async () => {
  // The test app replaces the options, and the key with a throw-away pair.
  wa = await WhatsAppTestApp.create({ imports: [BookingModule] });
});
afterAll(() => wa.close());

it('books an appointment in two screens', async () => {
  const token = 'booking-42';
  const first = await wa.flow({ action: 'INIT', flow_token: token });
  expect(first.response).toMatchObject({ screen: 'APPOINTMENT' });

  const second = await wa.flow({
    action: 'data_exchange',
    screen: 'APPOINTMENT',
    data: { date: '2026-12-03', name: 'Ada' },
    flow_token: token,
  });
  expect(second.response).toEqual({
    screen: 'CONFIRM',
    data: { date: '2026-12-03', summary: 'Ada, Thu 3 Dec' },
  });

  const done = await wa.flow({
    action: 'data_exchange',
    screen: 'CONFIRM',
    data: { date: '2026-12-03' },
    flow_token: token,
  });
  expect(done.response).toEqual({
    screen: 'SUCCESS',
    data: { extension_message_response: { params: { date: '2026-12-03', flow_token: token } } },
  });

  // The token is used up: WhatsApp shows the message and disables the flow.
  expect((await wa.flow({ action: 'INIT', flow_token: token })).status).toBe(427);
});
