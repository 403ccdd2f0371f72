import { describe, expect, it } from 'vitest';
import { isLoopbackUrl } from '../../shared/settings/schema';
import { normalizeBaseUrl } from '../../main/session/platform-client';

// Plain ws:// (SIP) and http:// (platform) are allowed only to this machine: credentials and
// callers' data would otherwise cross the network in clear text.
describe('isLoopbackUrl', () => {
  it.each([
    'ws://localhost:5066/ws',
    'ws://LOCALHOST:5066',
    'http://127.0.0.1:8080/api',
    'ws://127.255.255.254',
    'ws://127.1', // the URL parser writes 127.0.0.1
    'ws://0x7f.1',
    'ws://2130706433',
    'ws://[::1]:5066',
    'ws://[0:0:0:0:0:0:0:1]',
  ])('%s is this machine', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    'ws://127.evil.example',
    'http://127.0.0.1.nip.io',
    'ws://127.0.0.1.example.com:5066',
    'ws://localhost.evil.example',
    'ws://evil-localhost',
    'ws://128.0.0.1',
    'ws://126.255.255.255',
    'ws://10.0.0.1',
    'ws://[::2]',
    'ws://[::ffff:127.0.0.1]',
    'http://user@127.0.0.1@evil.example',
    'ws://127.0.0.1:80@evil.example/',
    'not a url',
    '',
  ])('%s is not', (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('platform address', () => {
  it('takes plain http only to this machine', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => normalizeBaseUrl('http://127.0.0.1.nip.io')).toThrow(expect.objectContaining({ code: 'insecure_address' }));
    expect(() => normalizeBaseUrl('http://127.evil.example:8080')).toThrow(expect.objectContaining({ code: 'insecure_address' }));
    expect(normalizeBaseUrl('https://127.evil.example')).toBe('https://127.evil.example');
  });
});
