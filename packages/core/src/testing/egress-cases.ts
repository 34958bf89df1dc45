/**
 * The URLs that the default egress policy must refuse, each with the rule that refuses it
 * (issue 6's acceptance list, with issue 9's IPv6 forms that carry an IPv4 address). Every skill that reaches outside tests itself against it.
 */
export const blockedByDefault: ReadonlyArray<readonly [url: string, rule: string]> = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'ipv4-mapped'],
  ['http://[::ffff:0:127.0.0.1]/', 'ipv4-translated'],
  ['http://[0:0:0:0:ffff:0:a9fe:a9fe]/', 'ipv4-translated'],
  ['http://[::10.0.0.1]/', 'ipv4-compatible'],
  ['http://[::1:0:0:1]/', 'reserved'],
  ['http://[64:ff9b::127.0.0.1]/', 'nat64'],
  ['http://[64:ff9b::a9fe:a9fe]/', 'nat64'],
  ['http://[2002:a00:1::]/', '6to4'],
  ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', 'teredo'],
  ['http://169.254.169.254/latest/meta-data/', 'link-local'],
  ['http://10.0.0.1/', 'private'],
  ['http://[fd00::1]/', 'unique-local'],
  ['http://localhost./', 'loopback'],
  ['file:///etc/passwd', 'scheme'],
];
