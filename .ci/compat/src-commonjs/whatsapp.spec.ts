import { WhatsAppTestApp, webhook } from 'nestjs-whatsapp-cloud/testing';
import { AppModule } from './app.module';

// The app's own Jest, with its own configuration, on the testing kit as a user imports it.
describe('AppModule on WhatsApp', () => {
  let wa: WhatsAppTestApp;

  beforeAll(async () => {
    wa = await WhatsAppTestApp.create({ imports: [AppModule] });
  });

  afterAll(() => wa.close());

  it('replies to a signed text message through the fake Graph API', async () => {
    const response = await wa.receive(webhook.text({ body: 'ping' }));
    expect(response.status).toBe(200);
    wa.graph.expectSent({
      type: 'text',
      to: '15551234567',
      text: { body: 'echo to 15551234567: ping' },
    });
  });

  it('refuses a bad signature with 401 and runs no handler', async () => {
    const before = wa.graph.sentMessages().length;
    const response = await wa.receive(webhook.text({ body: 'forged' }), { signature: 'sha256=00' });
    expect(response.status).toBe(401);
    expect(wa.graph.sentMessages()).toHaveLength(before);
  });
});
