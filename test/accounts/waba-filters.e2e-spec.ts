import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import {
  OnWhatsAppCall,
  OnWhatsAppEvent,
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  WhatsAppModule,
  type TextMessage,
  type WhatsAppCallContext,
  type WhatsAppContext,
} from '../../lib/index.js';
import { FakeGraphApi, WhatsAppTestApp, webhook } from '../../lib/testing/index.js';
import { API } from '../client/client-test-helper.js';

// Routing per tenant by WABA: each handler registered with `businessAccountId` sees only the
// updates of its WhatsApp Business Account (`entry[].id`), on every decorator, over real HTTP with
// signed bodies, and answers with its tenant's token (resolveCredentials), checked on the wire.

const A = { phone: '121000000000001', waba: '221000000000001', token: 'EAAT-waba-a-4c1d' };
const B = { phone: '121000000000002', waba: '221000000000002', token: 'EAAT-waba-b-8e2f' };
const B2 = { phone: '121000000000003' }; // B's second number: same WABA, same token

@Injectable()
class TenantRouting {
  readonly seen: string[] = [];

  @OnWhatsAppMessage('text', { businessAccountId: A.waba })
  bakery(message: TextMessage): string {
    this.seen.push(`bakery ${message.text.body}`);
    return 'The bakery is open 7-19';
  }

  @OnWhatsAppMessage('text', { businessAccountId: [B.waba] })
  florist(message: TextMessage, ctx: WhatsAppContext): string {
    this.seen.push(`florist ${message.text.body} via ${String(ctx.phoneNumberId)}`);
    return 'Flowers until 18';
  }

  @OnWhatsAppStatus('read', { businessAccountId: B.waba })
  floristRead(_status: unknown, ctx: WhatsAppContext): void {
    this.seen.push(`florist status ${ctx.businessAccountId}`);
  }

  // Account events carry no phone number id: the WABA filter is the way to route them.
  @OnWhatsAppEvent('message_template_status_update', { businessAccountId: A.waba })
  bakeryTemplates(value: { event?: string }): void {
    this.seen.push(`bakery template ${String(value.event)}`);
  }

  @OnWhatsAppCall('connect', { businessAccountId: B.waba, phoneNumberId: B2.phone })
  async floristCall(_call: unknown, ctx: WhatsAppCallContext): Promise<void> {
    this.seen.push(`florist call on ${String(ctx.phoneNumberId)}`);
    await ctx.reject();
  }
}

@Module({
  imports: [WhatsAppModule.forRoot({ accessToken: 'replaced-by-the-test-app' })],
  providers: [TenantRouting],
})
class TenantRoutingModule {}

describe('businessAccountId filter: two WABAs, one app', () => {
  let fake: FakeGraphApi;
  let app: WhatsAppTestApp;

  beforeAll(async () => {
    // Only the tenants' tokens are accepted, each on its own ids.
    fake = await FakeGraphApi.start({
      tenants: [
        { accessToken: A.token, ids: [A.phone, A.waba] },
        { accessToken: B.token, ids: [B.phone, B2.phone, B.waba] },
      ],
    });
    app = await WhatsAppTestApp.create({
      imports: [TenantRoutingModule],
      graph: fake,
      options: {
        resolveCredentials: async ({ phoneNumberId }) => ({
          accessToken: phoneNumberId === A.phone ? A.token : B.token,
        }),
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    app.get(TenantRouting).seen.length = 0;
  });

  const onWire = (): string[] =>
    fake.requests.map((r) => `${r.method} ${r.path} ${String(r.headers.authorization)}`);

  it("routes each WABA's messages to its handler only, one signed batch with both tenants", async () => {
    const batch = webhook.batch(
      webhook.text({ body: 'a1', phoneNumberId: A.phone, businessAccountId: A.waba }),
      webhook.text({ body: 'b1', phoneNumberId: B.phone, businessAccountId: B.waba }),
      webhook.text({ body: 'b2', phoneNumberId: B2.phone, businessAccountId: B.waba }),
      // A third WABA nobody registered: no handler, and the rest of the batch is unaffected.
      webhook.text({ body: 'c1', phoneNumberId: '121000000000009', businessAccountId: '229' }),
    );
    expect((await app.receive(batch)).status).toBe(200);
    expect(app.get(TenantRouting).seen).toEqual([
      'bakery a1',
      `florist b1 via ${B.phone}`,
      `florist b2 via ${B2.phone}`,
    ]);
    expect(onWire()).toEqual([
      `POST ${API}/${A.phone}/messages Bearer ${A.token}`,
      `POST ${API}/${B.phone}/messages Bearer ${B.token}`,
      `POST ${API}/${B2.phone}/messages Bearer ${B.token}`,
    ]);
  });

  it('filters statuses, account events and calls by WABA too', async () => {
    expect(
      (
        await app.receive(
          webhook.status('read', { phoneNumberId: A.phone, businessAccountId: A.waba }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await app.receive(
          webhook.status('read', { phoneNumberId: B.phone, businessAccountId: B.waba }),
        )
      ).status,
    ).toBe(200);
    for (const [waba, event] of [
      [A.waba, 'APPROVED'],
      [B.waba, 'REJECTED'],
    ] as const) {
      const value = {
        event,
        message_template_id: 1,
        message_template_name: 'order_update',
        message_template_language: 'en_US',
      };
      const update = webhook.event('message_template_status_update', value, {
        businessAccountId: waba,
      });
      expect((await app.receive(update)).status).toBe(200);
    }
    // B's call on its second number is handled; the same call on B's first number or A's is not.
    for (const [phone, waba] of [
      [B2.phone, B.waba],
      [B.phone, B.waba],
      [A.phone, A.waba],
    ]) {
      const call = webhook.callConnect({ phoneNumberId: phone, businessAccountId: waba });
      expect((await app.receive(call)).status).toBe(200);
    }
    expect(app.get(TenantRouting).seen).toEqual([
      `florist status ${B.waba}`,
      'bakery template APPROVED',
      `florist call on ${B2.phone}`,
    ]);
    expect(onWire()).toEqual([`POST ${API}/${B2.phone}/calls Bearer ${B.token}`]);
  });
});
