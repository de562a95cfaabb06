import { describe, expect, it } from '@jest/globals';
import { parseContentType, refuseSignedBody } from './signed-body-refusal.js';

const OBJECT = Buffer.from('{"object":"whatsapp_business_account"}');
const status = (headers: Record<string, string>, bytes = OBJECT, verified = true) =>
  refuseSignedBody(headers, verified, bytes)?.status;

describe('refuseSignedBody', () => {
  it('answers 401 to anything unsigned, before looking at anything else', () => {
    const all: Array<Record<string, string>> = [
      {},
      { 'content-type': 'text/plain' },
      { 'content-encoding': 'gzip' },
    ];
    for (const headers of all) {
      expect(status(headers, OBJECT, false)).toBe(401);
    }
  });

  it("passes Meta's shape: application/json, UTF-8 or no charset, identity, an object or array", () => {
    for (const type of [
      'application/json',
      'Application/JSON; charset=UTF-8',
      'application/json;charset="utf-8"; q=1',
    ]) {
      expect(status({ 'content-type': type })).toBeUndefined();
    }
    expect(
      status({ 'content-type': 'application/json', 'content-encoding': 'identity' }),
    ).toBeUndefined();
    expect(
      status({ 'content-type': 'application/json' }, Buffer.from('\ufeff \r\n\t[1]')),
    ).toBeUndefined();
  });

  it('refuses encodings and charsets with 415, other media types, empty bodies and scalars with 400', () => {
    expect(status({ 'content-type': 'application/json', 'content-encoding': 'gzip' })).toBe(415);
    expect(status({ 'content-type': 'application/json; charset=latin1' })).toBe(415);
    for (const type of [
      'text/plain',
      'text/json',
      'application/vnd.api+json',
      'application/json; charset',
      'application/json x',
    ]) {
      expect(status({ 'content-type': type })).toBe(400);
    }
    expect(status({})).toBe(400);
    for (const body of ['', '   ', '42', '"x"', 'null', 'true', '\ufeff']) {
      expect(status({ 'content-type': 'application/json' }, Buffer.from(body))).toBe(400);
    }
  });
});

describe('parseContentType', () => {
  it('reads the media type and charset, and rejects what the parsers would not read', () => {
    expect(parseContentType('application/json; charset="UTF\\-8"')).toEqual({
      mediaType: 'application/json',
      charset: 'utf-8',
    });
    expect(parseContentType(undefined)).toBeUndefined();
    expect(parseContentType('application/json;')).toBeUndefined();
    expect(parseContentType('json')).toBeUndefined();
  });
});
