import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { WhatsAppModule, WhatsAppService } from '../lib/index.js';

describe('WhatsAppModule smoke', () => {
  it('boots with forRoot', async () => {
    const ref = await Test.createTestingModule({
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: 's' })],
    }).compile();
    const app = ref.createNestApplication({ rawBody: true });
    await app.init();
    expect(app.get(WhatsAppService)).toBeInstanceOf(WhatsAppService);
    await app.close();
  });
});
