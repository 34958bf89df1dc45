import { afterEach, describe, expect, it } from 'vitest';
import { type DeskBot, startDeskBot } from '../testing/start-desk-bot';

const admin = { userId: '601', name: 'Alla Admin', locale: 'ru' };
const ann = { userId: '602', name: 'Ann Smith', locale: 'en' };

describe('/admin', () => {
  let desk: DeskBot | undefined;
  afterEach(async () => {
    await desk?.close();
    desk = undefined;
  });

  /** A desk bot where `admin` is an admin and both people have written once. */
  async function withAdmin() {
    desk = await startDeskBot();
    await desk.chat.say('/start', admin);
    await desk.chat.say('/start', ann);
    const { users } = desk.bot.storage;
    const adminUser = await users.findByIdentity({ platform: 'test', platformId: admin.userId });
    await users.update(adminUser!.id, { role: 'admin' });
    const annUser = await users.findByIdentity({ platform: 'test', platformId: ann.userId });
    return { desk, adminId: adminUser!.id, annId: annUser!.id };
  }

  it('is refused to customers and moderators', async () => {
    const { desk, annId } = await withAdmin();
    const [refused] = await desk.chat.say('/admin', ann);
    expect(refused?.text).toMatch(/admins only/);
    await desk.bot.storage.users.update(annId, { role: 'moderator' });
    const [still] = await desk.chat.say('/admin', ann);
    expect(still?.text).toMatch(/admins only/);
  });

  it('shows users, tickets, broadcasts, moderators and the audit log', async () => {
    const { desk } = await withAdmin();
    const [summary] = await desk.chat.say('/admin', admin);
    expect(summary?.text).toMatch(/Панель администратора: пользователей 2/);
    const data = summary!.buttons!.flat().map((button) => button.data);
    expect(data).toEqual([
      'bank:admin:users',
      'bank:admin:tickets',
      'bank:admin:broadcasts',
      'bank:admin:moderators',
      'bank:admin:audit',
    ]);
    const [users] = await desk.chat.press('bank:admin:users', admin);
    expect(users?.text).toMatch(/всего 2/);
    expect(users?.text).toContain('Ann Smith');
    const [tickets] = await desk.chat.press('bank:admin:tickets', admin);
    expect(tickets?.text).toMatch(/Обращения: ждут \d+/);
    const [broadcasts] = await desk.chat.press('bank:admin:broadcasts', admin);
    expect(broadcasts?.text).toMatch(/Рассылки/);
    const [audit] = await desk.chat.press('bank:admin:audit', admin);
    expect(audit?.text).toMatch(/admin\.view/);
  });

  it('grants and revokes the moderator role, tells the person, and audits both', async () => {
    const { desk, annId, adminId } = await withAdmin();
    const [users] = await desk.chat.press('bank:admin:users', admin);
    const grant = users!.buttons!.flat().find((button) => button.data?.endsWith(annId));
    expect(grant?.data).toBe(`bank:admin:grant:${annId}`);
    const [granted] = await desk.chat.press(grant!.data!, admin);
    expect(granted?.text).toMatch(/Ann Smith теперь модератор/);
    expect((await desk.bot.storage.users.get(annId))?.role).toBe('moderator');
    const notice = desk.chat.delivered.find(
      (message) => message.chatId === `chat-${ann.userId}` && /moderator now/.test(message.text),
    );
    expect(notice).toBeDefined();
    const [moderators] = await desk.chat.press('bank:admin:moderators', admin);
    expect(moderators?.buttons?.flat()[0]?.data).toBe(`bank:admin:revoke:${annId}`);
    await desk.chat.say(`/admin revoke test:${ann.userId}`, admin);
    expect((await desk.bot.storage.users.get(annId))?.role).toBe('user');
    const entries = await desk.desk.parts()!.desk.audit.recent(10);
    const changes = entries.filter((entry) => entry.action.startsWith('role.'));
    expect(changes.map((entry) => [entry.action, entry.actor, entry.target])).toEqual([
      ['role.revoke', adminId, annId],
      ['role.grant', adminId, annId],
    ]);
  });

  it('does not change an admin from the panel, and says when a user is unknown', async () => {
    const { desk, adminId } = await withAdmin();
    const [same] = await desk.chat.say(`/admin revoke ${adminId}`, admin);
    expect(same?.text).toMatch(/admin.*\/role/);
    const [unknown] = await desk.chat.say('/admin grant nobody', admin);
    expect(unknown?.text).toMatch(/не найден/);
    const [usage] = await desk.chat.say('/admin promote x', admin);
    expect(usage?.text).toMatch(/\/admin grant/);
  });

  it('audits the core role commands an admin runs', async () => {
    const { desk, annId } = await withAdmin();
    await desk.chat.say(`/role ${annId} moderator`, admin);
    const entries = await desk.desk.parts()!.desk.audit.recent(5);
    expect(entries[0]).toMatchObject({ action: 'core.role', target: annId });
  });
});
