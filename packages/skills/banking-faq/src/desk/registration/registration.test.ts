import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeskBot, startDeskBot } from '../testing/start-desk-bot';
import { maskPhone, normalizePhone } from './phone-number';

/** Every file under a folder, with its bytes. */
function filesUnder(folder: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

describe('normalizePhone', () => {
  it('reads the ways people and messengers write a number, to E.164', () => {
    expect(normalizePhone('79123456789', 'RU')).toEqual({
      ok: true,
      e164: '+79123456789',
      country: 'RU',
    });
    expect(normalizePhone('+7 (912) 345-67-89', 'RU')).toMatchObject({ e164: '+79123456789' });
    expect(normalizePhone('8 912 345 67 89', 'RU')).toMatchObject({ e164: '+79123456789' });
    expect(normalizePhone('+44 20 7946 0958', 'RU')).toMatchObject({
      e164: '+442079460958',
      country: 'GB',
    });
  });

  it('refuses what is not a phone number', () => {
    expect(normalizePhone('12', 'RU')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalizePhone('call me', 'RU')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalizePhone('+7 000', 'RU')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('masks all but the last two digits', () => {
    expect(maskPhone('+79123456789')).toBe('+7 ••• ••• ••89');
    expect(maskPhone('+79123456789')).not.toContain('912');
  });
});

describe('registration with the phone number', () => {
  let desk: DeskBot | undefined;
  afterEach(async () => {
    await desk?.close();
    desk = undefined;
  });

  it('asks for the number with the share-contact button and takes the sender’s own contact', async () => {
    desk = await startDeskBot({}, { capabilities: { contactRequest: true } });
    const ann = { userId: '501', name: 'Ann', locale: 'ru' };
    const replies = await desk.chat.say('/start', ann);
    const ask = replies.find((reply) => reply.requestContact);
    expect(ask?.requestContact?.label).toMatch(/номер/);
    const [done] = await desk.chat.shareContact({ phone: '79123456789', userId: '501' }, ann);
    expect(done?.text).toMatch(/зарегистрированы: \+7 ••• ••• ••89/);
    const parts = desk.desk.parts()!;
    const user = await desk.bot.storage.users.findByIdentity({
      platform: 'test',
      platformId: '501',
    });
    expect(await parts.registration.isRegistered(user!.id)).toBe(true);
    expect(await parts.registration.phoneOf(user!.id)).toBe('+79123456789');
    const [again] = await desk.chat.say('/start', ann);
    expect(again?.text).toMatch(/Здравствуйте/);
    expect(desk.chat.delivered.at(-1)?.text).toMatch(/уже зарегистрированы/);
  });

  it('refuses a forwarded contact of another person, and one with no account', async () => {
    desk = await startDeskBot({}, { capabilities: { contactRequest: true } });
    const bob = { userId: '502', name: 'Bob', locale: 'en' };
    const [other] = await desk.chat.shareContact({ phone: '+447911123456', userId: '999' }, bob);
    expect(other?.text).toMatch(/not yours/);
    expect(other?.requestContact).toBeDefined();
    const [typed] = await desk.chat.shareContact({ phone: '+447911123456' }, bob);
    expect(typed?.text).toMatch(/not yours/);
    const user = await desk.bot.storage.users.findByIdentity({
      platform: 'test',
      platformId: '502',
    });
    expect(await desk.desk.parts()!.registration.isRegistered(user!.id)).toBe(false);
  });

  it('refuses a number it cannot read, and a replay that lost the number', async () => {
    desk = await startDeskBot({}, { capabilities: { contactRequest: true } });
    const carl = { userId: '503', name: 'Carl', locale: 'en' };
    const [bad] = await desk.chat.shareContact({ phone: '12345', userId: '503' }, carl);
    expect(bad?.text).toMatch(/could not be read/);
    const [empty] = await desk.chat.shareContact({ phone: '', userId: '503' }, carl);
    expect(empty?.text).toMatch(/did not reach/);
  });

  it('says where registration works on a messenger with no contact button', async () => {
    desk = await startDeskBot();
    const replies = await desk.chat.say('/start', { userId: '504', locale: 'en' });
    expect(replies.some((reply) => reply.requestContact)).toBe(false);
    expect(replies.at(-1)?.text).toMatch(/available on Telegram/);
  });

  it('keeps the number only encrypted: no file of the data folder has it in plain text', async () => {
    desk = await startDeskBot({}, { capabilities: { contactRequest: true } });
    const dataDir = desk.dataDir;
    const ann = { userId: '505', name: 'Ann', locale: 'ru' };
    await desk.chat.say('/start', ann);
    await desk.chat.shareContact({ phone: '+7 912 345-67-89', userId: '505' }, ann);
    await desk.chat.say('как заблокировать карту?', ann);
    await desk.bot.stop();
    const files = filesUnder(dataDir);
    expect(files.some((file) => file.path.endsWith('.db'))).toBe(true);
    for (const file of files) {
      for (const form of ['9123456789', '912 345', '345-67-89', '3456789'])
        expect(file.bytes.includes(Buffer.from(form)), `${form} in ${file.path}`).toBe(false);
    }
    rmSync(dataDir, { recursive: true, force: true });
    desk = undefined;
  });
});
