// The 2026 incoming shapes (edit, revoke, group messages, user_id_update, coexistence history,
// smb_app_state_sync, smb_message_echoes), built with the testing kit, signed and POSTed to a real
// Nest app: each reaches the handler registered for it, typed, with the payload as Meta sends it.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { OnWhatsAppEvent } from '../../lib/handlers/on-whatsapp-event.decorator.js';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { createWebhookBuilder } from '../../lib/testing/webhook-builders/webhook-builder.js';
import { toMetaJson } from '../../lib/testing/webhook-builders/meta-json.js';
import type {
  EditMessage,
  RevokeMessage,
  TextMessage,
} from '../../lib/types/webhook/incoming-message.js';
import type {
  HistoryValue,
  SmbAppStateSyncValue,
  SmbMessageEchoesValue,
  UserIdUpdateValue,
} from '../../lib/types/webhook/webhook-events.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { APP_SECRET, PLATFORMS, createWebhookApp, postSigned } from './support/webhook-app.js';

const webhook = createWebhookBuilder({ contact: { waId: '447700900461', name: 'Ana' } });
const ORIGINAL = 'wamid.ORIGINAL';

@Injectable()
class Seen {
  readonly calls: Array<[string, unknown]> = [];
}

@Injectable()
class TypedHandlers {
  constructor(private readonly seen: Seen) {}

  @OnWhatsAppMessage('edit')
  edit(message: EditMessage): void {
    this.seen.calls.push(['edit', [message.edit.original_message_id, message.edit.message.text]]);
  }

  @OnWhatsAppMessage('revoke')
  revoke(message: RevokeMessage): void {
    this.seen.calls.push(['revoke', message.revoke.original_message_id]);
  }

  @OnWhatsAppMessage('text')
  text(message: TextMessage, context: WhatsAppContext): void {
    this.seen.calls.push(['text', [message.group_id, context.contact?.waId]]);
  }

  @OnWhatsAppEvent('user_id_update')
  userId(value: UserIdUpdateValue): void {
    this.seen.calls.push(['user_id_update', value.user_id_update?.[0]?.user_id]);
  }

  @OnWhatsAppEvent('history')
  history(value: HistoryValue): void {
    const chunk = value.history[0];
    this.seen.calls.push([
      'history',
      chunk.errors?.[0]?.code ?? chunk.threads?.[0]?.messages.map((m) => m.history_context?.status),
    ]);
  }

  @OnWhatsAppEvent('smb_app_state_sync')
  stateSync(value: SmbAppStateSyncValue): void {
    this.seen.calls.push(['smb_app_state_sync', value.state_sync.map((s) => s.action)]);
  }

  @OnWhatsAppEvent('smb_message_echoes')
  echoes(value: SmbMessageEchoesValue): void {
    this.seen.calls.push(['smb_message_echoes', value.message_echoes.map((m) => m.to)]);
  }
}

describe.each(PLATFORMS)('2026 incoming shapes through the webhook on %s', (platform) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createWebhookApp(platform, {
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET })],
      providers: [Seen, TypedHandlers],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('routes each builder payload to its handler, in batch order', async () => {
    const history = webhook.history({
      threads: [
        {
          messages: [
            {
              from: '447700900461',
              id: 'wamid.H1',
              timestamp: '1767600000',
              type: 'text',
              text: { body: 'old' },
              history_context: { status: 'read' },
            },
          ],
        },
      ],
    });
    const res = await postSigned(
      app,
      toMetaJson(
        webhook.batch(
          webhook.edit({ originalMessageId: ORIGINAL, body: 'fixed' }),
          webhook.revoke({ originalMessageId: ORIGINAL }),
          webhook.text({ body: 'in a group', groupId: 'GROUP-1' }),
          webhook.userIdUpdate({ previous: 'US.1', current: 'US.2' }),
          history,
          webhook.history({ declined: true }),
          webhook.smbAppStateSync({
            contacts: [
              { phone_number: '1', full_name: 'A' },
              { phone_number: '2', action: 'remove' },
            ],
          }),
          webhook.messageEcho({ body: 'from the app' }),
        ),
      ),
    );
    expect(res.status).toBe(200);
    expect(app.get(Seen).calls).toEqual([
      ['edit', [ORIGINAL, { body: 'fixed' }]],
      ['revoke', ORIGINAL],
      ['text', ['GROUP-1', '447700900461']],
      ['user_id_update', { previous: 'US.1', current: 'US.2' }],
      ['history', ['read']],
      ['history', 2593109],
      ['smb_app_state_sync', ['add', 'remove']],
      ['smb_message_echoes', ['447700900461']],
    ]);
  });
});
