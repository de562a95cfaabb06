import { describe, expect, it } from '@jest/globals';
import { sampleSdpOffer } from '../../testing/webhook-builders/group-call-builders.js';
import { isParseableSdp } from './calls-endpoint.js';

describe('isParseableSdp', () => {
  it('accepts the offer the page sends and a minimal audio answer', () => {
    expect(isParseableSdp(sampleSdpOffer())).toBe(true);
    expect(
      isParseableSdp(
        'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
      ),
    ).toBe(true);
  });

  it('refuses text that is not an SDP, one without audio, and one with a malformed line', () => {
    expect(isParseableSdp('not an sdp')).toBe(false);
    expect(
      isParseableSdp('v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\nm=video 9 RTP/AVP 96\n'),
    ).toBe(false);
    expect(
      isParseableSdp('v=0\no=- 1 2 IN IP4 127.0.0.1\nm=audio 9 RTP/AVP 0\nbroken line\n'),
    ).toBe(false);
  });
});
