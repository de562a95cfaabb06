import { describe, expect, it } from '@jest/globals';
import { allowedHostNames, crossSiteRefusal, hostNameOf, isAllowedHost } from './request-guard.js';

describe('sandbox request guard', () => {
  it('reads the host name of a Host header', () => {
    expect(hostNameOf('127.0.0.1:3001')).toBe('127.0.0.1');
    expect(hostNameOf('LocalHost.')).toBe('localhost');
    expect(hostNameOf('[::1]:3001')).toBe('::1');
    expect(hostNameOf('[::1]')).toBe('::1');
    expect(hostNameOf('evil.example:80')).toBe('evil.example');
  });

  it('answers loopback names, the bind host and the allowed hosts only', () => {
    const hosts = allowedHostNames('10.1.2.3', ['DevBox.lan']);
    for (const ok of [
      '127.0.0.1:1',
      '127.8.9.10',
      'localhost:3001',
      'app.localhost',
      '[::1]:3001',
      '10.1.2.3:3001',
      'devbox.lan:3001',
    ]) {
      expect([ok, isAllowedHost(ok, hosts)]).toEqual([ok, true]);
    }
    for (const bad of [
      undefined,
      '',
      'evil.example',
      'localhost.evil.example',
      '127.0.0.1.evil.example',
      '10.1.2.4',
      '[::2]',
    ]) {
      expect([bad, isAllowedHost(bad, hosts)]).toEqual([bad, false]);
    }
    // A wildcard bind address is not a host name.
    expect(isAllowedHost('0.0.0.0:3001', allowedHostNames('0.0.0.0', []))).toBe(false);
  });

  it('accepts the own origin and non-browser JSON, refuses what another site can send', () => {
    const host = '127.0.0.1:3001';
    const json = 'application/json';
    expect(
      crossSiteRefusal({ host, origin: `http://${host}`, 'content-type': 'text/plain' }, true),
    ).toBeUndefined();
    expect(crossSiteRefusal({ host, 'sec-fetch-site': 'same-origin' }, true)).toBeUndefined();
    expect(crossSiteRefusal({ host, 'content-type': json }, true)).toBeUndefined();
    expect(crossSiteRefusal({ host, 'content-type': 'image/png' }, true)).toBeUndefined();
    // Graph clients: no Origin, multipart bodies.
    expect(
      crossSiteRefusal({ host, 'content-type': 'multipart/form-data; boundary=x' }, false),
    ).toBeUndefined();

    for (const headers of [
      { host, origin: 'http://evil.example', 'content-type': json },
      { host, origin: 'null', 'content-type': json },
      { host, origin: `https://${host}`, 'content-type': json },
      { host, 'sec-fetch-site': 'cross-site', 'content-type': json },
      { host, 'sec-fetch-site': 'same-site', origin: `http://${host}` },
      { host, 'content-type': 'text/plain' },
      { host, 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=utf-8' },
      { host, 'content-type': 'multipart/form-data; boundary=x' },
      { host },
    ]) {
      expect([headers, crossSiteRefusal(headers, true)]).toEqual([headers, expect.any(String)]);
    }
    expect(crossSiteRefusal({ host, origin: 'http://evil.example' }, false)).toMatch(/Origin/);
  });
});
