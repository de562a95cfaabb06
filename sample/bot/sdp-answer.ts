import { randomBytes } from 'node:crypto';

/**
 * A syntactically valid SDP answer to a WhatsApp call's offer, for signaling only: it lets the
 * sample accept a call end to end (in the sandbox, or to see the webhooks flow with Meta) without a
 * media stack. No audio flows: plug a WebRTC stack in here (docs/calling.md shows one).
 */
export function signalingOnlyAnswer(offer: string): string {
  const lines = offer.split(/\r?\n/);
  const audio = lines.find((l) => l.startsWith('m=audio')) ?? 'm=audio 9 UDP/TLS/RTP/SAVPF 111';
  const payload = audio.split(' ')[3] ?? '111';
  const rtpmap =
    lines.find((l) => l.startsWith(`a=rtpmap:${payload} `)) ?? `a=rtpmap:${payload} opus/48000/2`;
  const mid = lines.find((l) => l.startsWith('a=mid:')) ?? 'a=mid:0';
  const fingerprint = [...randomBytes(32)]
    .map((b) => b.toString(16).padStart(2, '0').toUpperCase())
    .join(':');
  return [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `a=group:BUNDLE ${mid.slice('a=mid:'.length)}`,
    `m=audio 9 UDP/TLS/RTP/SAVPF ${payload}`,
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${randomBytes(3).toString('hex')}`,
    `a=ice-pwd:${randomBytes(12).toString('hex')}`,
    `a=fingerprint:sha-256 ${fingerprint}`,
    'a=setup:active',
    mid,
    'a=sendrecv',
    'a=rtcp-mux',
    rtpmap,
    '',
  ].join('\r\n');
}
