import { describe, expect, it } from '@jest/globals';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import { checkDownloadUrl } from './download-url.js';

const META_HOSTS = new Set([
  'lookaside.fbsbx.com',
  'lookaside.facebook.com',
  'scontent.whatsapp.net',
]);
const GRAPH = new URL('https://graph.facebook.com');
const LOOPBACK = new URL('http://127.0.0.1:4010');
const MEDIA = '/whatsapp_business/attachments/?mid=1&ext=2&hash=AR_x';

function reason(url: string, base: URL = GRAPH): string {
  try {
    checkDownloadUrl(url, new Set([...META_HOSTS, base.hostname]), base, 'url');
  } catch (error) {
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    return (error as WhatsAppValidationError).reason;
  }
  return 'accepted';
}

describe('checkDownloadUrl', () => {
  it.each([
    `https://lookaside.fbsbx.com${MEDIA}`,
    `https://lookaside.fbsbx.com:443${MEDIA}`,
    'https://LOOKASIDE.FBSBX.COM/whatsapp_business/attachments/?mid=1',
    'https://scontent.whatsapp.net/v/t61/abc.jpg?oh=1',
    `https://graph.facebook.com${MEDIA}`,
    `https://graph.facebook.com:443${MEDIA}`,
  ])('accepts %s', (url) => {
    expect(reason(url)).toBe('accepted');
  });

  it('accepts the loopback baseUrl origin on its own port, media path only', () => {
    expect(reason(`http://127.0.0.1:4010${MEDIA}`, LOOPBACK)).toBe('accepted');
  });

  it.each([
    ['https://lookaside.fbsbx.com:8443/x', /port 8443/],
    ['https://lookaside.fbsbx.com:80/x', /port 80\b/],
    ['https://scontent.whatsapp.net:6379/', /port 6379/],
    ['https://lookaside.fbsbx.com:0/x', /port 0/],
  ])('refuses another port on a Meta host: %s', (url, why) => {
    expect(reason(url)).toMatch(why);
  });

  it.each([
    'https://graph.facebook.com/v26.0/me',
    'https://graph.facebook.com/v26.0/123/messages?method=post&to=1',
    'https://graph.facebook.com/',
    'https://graph.facebook.com/whatsapp_business/attachments',
    'https://graph.facebook.com/whatsapp_business/attachments/x',
    'https://graph.facebook.com/v26.0/whatsapp_business/attachments/',
    'https://graph.facebook.com/x/../v26.0/me',
    'https://graph.facebook.com/%2e%2e/v26.0/me',
    'https://graph.facebook.com/whatsapp_business/attachments/%2e%2e/x',
  ])('refuses a non-media path on the Graph origin: %s', (url) => {
    expect(reason(url)).toMatch(/not a media path/);
  });

  it.each([
    `http://127.0.0.1:6379${MEDIA}`,
    `https://127.0.0.1:4010${MEDIA}`,
    `https://127.0.0.1${MEDIA}`,
    `http://127.0.0.1${MEDIA}`,
  ])('refuses the baseUrl host on another port or scheme: %s', (url) => {
    expect(reason(url, LOOPBACK)).toMatch(/Graph API origin http:\/\/127\.0\.0\.1:4010 exactly/);
  });

  it('keeps the earlier refusals (scheme, host, credentials)', () => {
    expect(reason('http://lookaside.fbsbx.com/x')).toMatch(/https/);
    expect(reason('https://evil.example/x')).toMatch(/mediaDownloadHosts/);
    expect(reason('https://u:p@lookaside.fbsbx.com/x')).toMatch(/credentials/);
    expect(reason('not a url')).toMatch(/absolute URL/);
  });
});
