import { describe, expect, it } from '@jest/globals';
import { normalizeWebhookPath } from './whatsapp.module-definition.js';
import { WhatsAppConfigError } from './options/resolve-options.js';

describe('normalizeWebhookPath', () => {
  it('defaults to whatsapp/webhook and keeps false', () => {
    expect(normalizeWebhookPath(undefined)).toBe('whatsapp/webhook');
    expect(normalizeWebhookPath(false)).toBe(false);
  });

  it('strips leading and trailing slashes', () => {
    expect(normalizeWebhookPath('/hooks/wa/')).toBe('hooks/wa');
  });

  it.each(['', '/', 'hooks/*', 'hooks/:id', 'a//b', 'a b', 'x?y'])('rejects %p', (path) => {
    expect(() => normalizeWebhookPath(path)).toThrow(WhatsAppConfigError);
  });
});
