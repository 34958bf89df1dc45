import { describe, expect, it } from 'vitest';
import { blockedRange, embeddedIpv4 } from './address-ranges';
import { cidrContains, formatIp, parseCidr, parseIp, parseIpv4, parseIpv6 } from './ip-address';

const text = (value: string) => {
  const address = parseIp(value);
  return address ? formatIp(address) : undefined;
};

describe('parseIpv4', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['10.0.0.1.', '10.0.0.1'],
    ['0', '0.0.0.0'],
  ])('reads %s as %s', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each(['256.0.0.1', '1.2.3.4.5', '4294967296', '08.0.0.1', 'example.org', '1..2', ''])(
    'refuses %s',
    (input) => {
      expect(parseIpv4(input)).toBeUndefined();
    },
  );
});

describe('parseIpv6', () => {
  it.each([
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['::', '::'],
    ['fd00::1', 'fd00::1'],
    ['FE80::1%eth0', 'fe80::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('reads %s as %s', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each(['1:2:3:4:5:6:7:8:9', '1::2::3', ':::1', 'fffff::1', '::ffff:300.0.0.1', 'g::1'])(
    'refuses %s',
    (input) => {
      expect(parseIpv6(input)).toBeUndefined();
    },
  );
});

describe('CIDR blocks', () => {
  it('parses blocks and single addresses', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(parseCidr('fd00::/8')).toMatchObject({ family: 6, prefix: 8 });
    expect(parseCidr('192.168.1.7')).toMatchObject({ family: 4, prefix: 32 });
    expect(parseCidr('::1')).toMatchObject({ family: 6, prefix: 128 });
  });

  it.each(['10.0.0.0/33', 'fd00::/129', '10/8', '10.0.0.0/', '10.0.0.0/x', 'example.org/8'])(
    'refuses %s',
    (input) => {
      expect(parseCidr(input)).toBeUndefined();
    },
  );

  it('matches by the prefix bits only', () => {
    const block = parseCidr('172.16.0.0/12')!;
    expect(cidrContains(block, parseIp('172.31.255.255')!)).toBe(true);
    expect(cidrContains(block, parseIp('172.32.0.0')!)).toBe(false);
    expect(cidrContains(block, parseIp('::ffff:172.16.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('fe80::/10')!, parseIp('febf::1')!)).toBe(true);
    expect(cidrContains(parseCidr('fe80::/10')!, parseIp('fec0::1')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!)).toBe(true);
  });
});

describe('blockedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['fd00::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:169.254.169.254', 'ipv4-mapped'],
    ['::10.0.0.1', 'ipv4-compatible'],
    ['64:ff9b::10.0.0.1', 'nat64'],
    ['64:ff9b:1::1', 'nat64'],
    ['2002:a9fe:a9fe::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'teredo'],
    // RFC 2765 (SIIT) IPv4-translated form, in hex groups, with a dotted tail, uncompressed.
    ['::ffff:0:127.0.0.1', 'ipv4-translated'],
    ['::ffff:0:7f00:1', 'ipv4-translated'],
    ['0:0:0:0:ffff:0:a00:1', 'ipv4-translated'],
    ['0000:0000:0000:0000:ffff:0000:169.254.169.254', 'ipv4-translated'],
    // The rest of the reserved ::/8, and forms whose IPv4 address is public but not routable.
    ['::ffff:0:8.8.8.8', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    ['::1:0:0:1', 'reserved'],
    ['0:ff::1', 'reserved'],
    ['::1:ffff:7f00:1', 'reserved'],
    // NAT64 (well-known and local-use prefixes), 6to4 and Teredo in every spelling.
    ['64:ff9b::127.0.0.1', 'nat64'],
    ['64:ff9b:0:0:0:0:a00:1', 'nat64'],
    ['64:ff9b:1::10.0.0.1', 'nat64'],
    ['64:ff9b:1::8.8.8.8', 'nat64'],
    ['2002:a00:1::', '6to4'],
    ['2002:0a00:0001:0:0:0:0:1', '6to4'],
    ['2002:7f00:1::127.0.0.1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:128.255.255.254', 'teredo'],
    ['2001::f5ff:fffe', 'teredo'],
  ])('%s is blocked as %s', (address, rule) => {
    expect(blockedRange(parseIp(address)!)?.rule).toBe(rule);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::1',
    '64:ff9b::8.8.8.8',
    '64:ff9b::808:808',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
    '100:0:0:1::1',
  ])('%s is public', (address) => {
    expect(blockedRange(parseIp(address)!)).toBeUndefined();
  });

  it('finds the IPv4 address inside each IPv6 form', () => {
    expect(formatIp(embeddedIpv4(parseIp('2002:a9fe:a9fe::1')!)!.address)).toBe('169.254.169.254');
    expect(formatIp(embeddedIpv4(parseIp('64:ff9b::7f00:1')!)!.address)).toBe('127.0.0.1');
    expect(formatIp(embeddedIpv4(parseIp('::ffff:0:a9fe:a9fe')!)!.address)).toBe('169.254.169.254');
    expect(formatIp(embeddedIpv4(parseIp('64:ff9b:1::a00:1')!)!.address)).toBe('10.0.0.1');
    expect(formatIp(embeddedIpv4(parseIp('2001::f5ff:fffe')!)!.address)).toBe('10.0.0.1');
    expect(embeddedIpv4(parseIp('::1')!)).toBeUndefined();
    expect(embeddedIpv4(parseIp('10.0.0.1')!)).toBeUndefined();
  });
});
