import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WhatsAppModule } from 'nestjs-whatsapp-cloud';
import { FAKE_APP, FAKE_IDS, FakeGraphApi } from 'nestjs-whatsapp-cloud/testing';
import { AdminService } from './accounts-admin.service.js';

// docs/accounts.md's example (a copy of ./accounts-admin.service.ts, checked by doc-snippets),
// run against the fake Graph API: a wrong snippet fails here.
describe('docs/accounts.md AdminService', () => {
  let graph: FakeGraphApi;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    graph = await FakeGraphApi.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'docs-admin-token',
          baseUrl: graph.baseUrl,
          phoneNumberId: FAKE_IDS.phoneNumberId,
          webhookPath: false,
        }),
      ],
      providers: [AdminService],
    }).compile();
  });
  afterAll(async () => {
    await moduleRef.close();
    await graph.close();
  });

  it('sets the profile, automation and a QR code, then a profile picture', async () => {
    const admin = moduleRef.get(AdminService);
    expect(await admin.setUp()).toMatch(/^https:\/\/wa\.me\/message\//);
    const dir = await mkdtemp(join(tmpdir(), 'docs-admin-'));
    try {
      await writeFile(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      await admin.setProfilePicture(FAKE_APP.appId, join(dir, 'logo.png'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const profile = graph.store.management.profiles.get(FAKE_IDS.phoneNumberId);
    expect(profile).toMatchObject({ about: 'Fresh bread daily' });
    expect(profile?.profile_picture_url).toMatch(/^https:\/\//);
  });
});
