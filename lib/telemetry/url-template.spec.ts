import { describe, expect, it } from '@jest/globals';
import { graphUrlTemplate } from './url-template.js';

describe('graphUrlTemplate', () => {
  it.each([
    ['/v26.0/1234567890/messages', '/v26.0/{id}/messages'],
    ['/v26.0/102290129340398/message_templates', '/v26.0/{id}/message_templates'],
    ['/v26.0/me', '/v26.0/me'],
    ['/v26.0/4490709327384033', '/v26.0/{id}'],
    ['/v26.0/wacid.ABGGFjFVU2AfAgo6V/connect', '/v26.0/{id}/connect'],
    ['/v26.0/120363040000000000%40g.us/invite_link', '/v26.0/{id}/invite_link'],
    ['/v26.0/123/media?phone_number_id=456', '/v26.0/{id}/media'],
    ['/v/t62.7118-24/abc_DEF.jpg', '/v/{id}/{id}'],
  ])('%s → %s', (path, template) => {
    expect(graphUrlTemplate(path)).toBe(template);
  });
});
