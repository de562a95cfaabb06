import { describe, expect, it } from '@jest/globals';
import { flowReplyOf } from './flow-reply.js';

const nfm = (response_json: unknown) => ({
  type: 'interactive',
  interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json } },
});

describe('flowReplyOf', () => {
  it('parses response_json and its flow token', () => {
    expect(flowReplyOf<{ date: string }>(nfm('{"flow_token":"b-1","date":"2026-12-02"}'))).toEqual({
      flowToken: 'b-1',
      name: 'flow',
      body: 'Sent',
      response: { flow_token: 'b-1', date: '2026-12-02' },
    });
  });

  it('is undefined for other messages and hostile shapes, never a throw', () => {
    for (const message of [
      null,
      'x',
      { interactive: null },
      { interactive: { type: 'button_reply' } },
      nfm('not json'),
      nfm('[1]'),
      nfm(7),
      { interactive: { type: 'nfm_reply', nfm_reply: [] } },
    ]) {
      expect(flowReplyOf(message)).toBeUndefined();
    }
  });
});
