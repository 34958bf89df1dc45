/**
 * The URLs that the default egress policy must refuse, each with the rule that refuses it
 * (issue 6's acceptance list). Every skill that reaches outside tests itself against it.
 */
export const blockedByDefault: ReadonlyArray<readonly [url: string, rule: string]> = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://[::1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'ipv4-mapped'],
  ['http://169.254.169.254/latest/meta-data/', 'link-local'],
  ['http://10.0.0.1/', 'private'],
  ['http://[fd00::1]/', 'unique-local'],
  ['http://localhost./', 'loopback'],
  ['file:///etc/passwd', 'scheme'],
];
