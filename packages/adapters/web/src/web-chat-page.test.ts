import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Adapter, type Bot, createBot, silentLogger } from '@botwire/core';
import { freePort, requireTool } from '@botwire/core/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webAdapter } from './web-adapter';
import {
  demoMiddleware,
  demoSkill,
  fileEchoSkill,
  post,
  reportBytes,
  sha256,
} from './web-test-kit';

// Debian's Chromium (apt-get install -y chromium); .ci/run installs it. Without it this suite
// is skipped, and says why in its name.
const executablePath = process.env.BOTWIRE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = requireTool('chromium', 'apt-get install -y chromium', {
  path: executablePath,
}).available;
const suite = hasChromium
  ? 'the web chat page in Chromium'
  : `the web chat page in Chromium (SKIPPED: no browser at ${executablePath}; install it with apt-get install -y chromium)`;

describe.skipIf(!hasChromium)(suite, () => {
  const ownerToken = 'page-test-owner-token-0123456789';
  let browser: Browser;
  let bot: Bot;
  let adapter: Adapter;
  let base: string;
  const pageErrors: Error[] = [];
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    const port = await freePort();
    adapter = webAdapter({ artifactDir: false, maxUploadBytes: 2 ** 20 });
    bot = createBot({
      config: {
        storage: 'memory',
        name: 'Ada',
        http: { host: '127.0.0.1', port, token: ownerToken },
        skills: [{ use: demoSkill }, { use: fileEchoSkill }],
      },
      adapters: [adapter],
      log: silentLogger,
    });
    bot.use(demoMiddleware);
    await bot.start();
    base = bot.http().url;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageErrors).toEqual([]);
  });

  const phone = async (locale = 'en-US'): Promise<Page> => {
    await context?.close();
    context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      acceptDownloads: true,
      locale,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    return page;
  };

  const send = async (page: Page, text: string) => {
    await page.fill('#input', text);
    await page.press('#input', 'Enter');
  };
  const botMessages = (page: Page) => page.locator('.message.bot');
  // Two shared cores: give the page and the bot time before calling a step failed.
  const patience = { timeout: 10_000, interval: 50 };

  it('signs in, holds a conversation, presses a button and downloads a file', async () => {
    const page = await phone();
    await page.goto(`${base}/`);
    await expect.poll(() => page.title(), patience).toBe('Ada');

    // The sign-in form: a wrong token is refused, the owner token lets the owner in.
    await page.fill('#token', 'wrong-token');
    await page.click('#signin-form button');
    await page.waitForSelector('#signin-error:not([hidden])');
    expect(await page.textContent('#signin-error')).toContain('not accepted');
    await page.fill('#token', ownerToken);
    await page.click('#signin-form button');
    await page.waitForSelector('#composer:not([hidden])');
    await page.waitForSelector('#status.online');

    await send(page, '/whoami');
    await expect
      .poll(() => botMessages(page).last().textContent(), patience)
      .toMatch(/Role: owner/);
    expect(await page.locator('.message.user').last().textContent()).toBe('/whoami');

    // Markdown is rendered; HTML, a javascript: link and a data: image in a reply stay text.
    await send(page, '/fancy');
    const fancy = botMessages(page).last();
    await fancy.locator('strong').waitFor();
    expect(await fancy.locator('strong').textContent()).toBe('Bold');
    expect(await fancy.locator('code').textContent()).toBe('code');
    const link = fancy.locator('a');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe('https://example.org/docs');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await fancy.locator('img, script, svg').count()).toBe(0);
    expect(await fancy.locator('li').count()).toBe(2);
    const shown = await fancy.textContent();
    expect(shown).toContain('<img src=x');
    expect(shown).toContain("[click](javascript:document.title='owned')");
    expect(shown).toContain("<script>document.title='owned'</script>");
    expect(shown).toContain('<svg onload=');
    expect(await page.title()).toBe('Ada');

    await send(page, '/choose');
    await page.locator('.buttons button', { hasText: 'Red' }).last().click();
    await expect
      .poll(() => botMessages(page).last().textContent(), patience)
      .toBe('You picked red.');

    await send(page, '/report');
    const file = page.locator('.files a', { hasText: 'report.txt' }).last();
    await file.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).toBe('report.txt');
    expect(new Uint8Array(readFileSync((await download.path())!))).toEqual(reportBytes);

    // Phone-sized: nothing wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(tmpdir(), 'botwire-web-chat-375.png') });
  }, 60_000);

  it('greets a new user in Russian, keeps the chosen language, and shows images inline', async () => {
    const response = await post(`${base}/api/v1/invitations`, { name: 'Аня' }, ownerToken);
    const { invitation, token } = (await response.json()) as {
      invitation: { id: string };
      token: string;
    };
    const page = await phone('ru-RU');
    await page.goto(`${base}/#token=${token}`);
    await page.waitForSelector('#status.online');

    // Every label in Russian, picked from the browser's language.
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect((await page.textContent('#send'))?.trim()).toBe('Отправить');
    expect(await page.getAttribute('#input', 'placeholder')).toBe('Сообщение');
    expect(await page.textContent('#status')).toBe('в сети');
    expect(await page.textContent('#signout')).toBe('Выйти');

    // The empty chat greets, with phrases from the bot described in Russian.
    const greeting = page.locator('.greeting');
    await greeting.locator('.suggestions button').first().waitFor(patience);
    await expect
      .poll(() => greeting.locator('p').first().textContent(), patience)
      .toBe('Здравствуйте, Аня! Я Ada.');
    expect(await greeting.locator('.suggestions button').allTextContents()).toEqual([
      '/choose',
      '/report',
      '/help',
    ]);
    expect(await greeting.locator('.suggestions span').first().textContent()).toBe('выбрать цвет');
    await page.screenshot({ path: join(tmpdir(), 'botwire-web-chat-375-greeting-ru.png') });

    // A suggestion sends itself; the greeting gives way to the conversation.
    await greeting.locator('.suggestions button', { hasText: '/choose' }).click();
    await expect
      .poll(() => botMessages(page).last().locator('.text').textContent(), patience)
      .toBe('Which colour?');
    expect(await page.locator('.greeting').count()).toBe(0);

    // An image the bot sends is shown inline, within the screen, and still downloadable.
    await send(page, '/picture');
    const picture = botMessages(page).last().locator('figure.image img');
    await expect
      .poll(
        () =>
          picture.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
        patience,
      )
      .toBe(320);
    const box = await picture.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.width).toBeLessThanOrEqual(375);
    expect(await botMessages(page).last().locator('.files a').textContent()).toContain('teal.png');

    // A Markdown image of the bot's own file is shown too.
    const path = new URL(
      (await botMessages(page).last().locator('.files a').getAttribute('href')) ?? '',
    ).pathname;
    await bot.deliver(
      adapter,
      { platformId: `invitation:${invitation.id}`, type: 'private' },
      { text: `The chart:\n\n![chart](${path})`, format: 'markdown' },
    );
    const chart = botMessages(page).last().locator('.text figure.image img');
    await expect
      .poll(
        () =>
          chart.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
        patience,
      )
      .toBe(320);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(tmpdir(), 'botwire-web-chat-375-ru.png') });

    // Choosing English is kept by the bot: a fresh browser in Russian still shows English.
    await page.selectOption('#language', 'en');
    expect((await page.textContent('#send'))?.trim()).toBe('Send');
    expect(await page.textContent('#status')).toBe('online');
    await expect
      .poll(async () => {
        const welcome = await fetch(`${base}/api/v1/welcome`, {
          headers: { authorization: `Bearer ${token}`, 'accept-language': 'ru' },
        });
        return ((await welcome.json()) as { locale: string }).locale;
      }, patience)
      .toBe('en');
    const again = await phone('ru-RU');
    await again.goto(`${base}/#token=${token}`);
    await again.waitForSelector('#status.online');
    expect((await again.textContent('#send'))?.trim()).toBe('Send');
    expect(await again.getAttribute('html', 'lang')).toBe('en');

    // The owner's bar in Russian (the longest labels) still fits a phone.
    const owner = await phone('ru-RU');
    await owner.goto(`${base}/#token=${ownerToken}`);
    await owner.waitForSelector('#status.online');
    expect(await owner.textContent('#invite')).toBe('Пригласить');
    expect(await owner.locator('.files .size').first().textContent()).toBe('21 Б');
    expect(await owner.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await owner.screenshot({ path: join(tmpdir(), 'botwire-web-chat-375-owner-ru.png') });
  }, 90_000);

  it('sends files from the paperclip and by dropping them, and says why one is refused', async () => {
    const page = await phone();
    await page.goto(`${base}/#token=${ownerToken}`);
    await page.waitForSelector('#status.online');
    expect(await page.getAttribute('#attach', 'aria-label')).toBe('Attach a file');

    // The text typed goes with the file as its caption; the message shows the file at once.
    const notes = Buffer.from('meeting notes: Monday\n');
    await page.fill('#input', 'from the meeting');
    await page.setInputFiles('#file-input', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: notes,
    });
    const sent = page.locator('.message.user').last();
    expect(await sent.locator('.attachment').textContent()).toBe('📎 notes.txt (22 B)');
    expect(await sent.locator('.text').textContent()).toBe('from the meeting');
    expect(await page.inputValue('#input')).toBe('');
    await expect
      .poll(() => botMessages(page).last().textContent(), patience)
      .toContain('"name":"notes.txt"');
    const echo = JSON.parse((await botMessages(page).last().textContent()) ?? '{}');
    expect(echo).toMatchObject({
      kind: 'document',
      size: notes.byteLength,
      sha256: sha256(notes),
      note: 'from the meeting',
    });
    await expect.poll(() => sent.getAttribute('class'), patience).toBe('message user');

    // A picture dropped on the chat is sent as a photo.
    // (The test's TypeScript has no DOM types: the page's code is given as text.)
    await page.evaluate(`{
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array([1, 2, 3, 4])], 'drop.png', { type: 'image/png' }));
      for (const type of ['dragenter', 'dragover', 'drop'])
        document.getElementById('scroller').dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
    }`);
    await expect
      .poll(() => botMessages(page).last().textContent(), patience)
      .toContain('"name":"drop.png"');
    expect(await botMessages(page).last().textContent()).toContain('"kind":"photo"');
    expect(await page.locator('#drop-hint').isHidden()).toBe(true);

    // Over the bot's limit (1 MB here): refused before it is sent, said in the chat.
    await page.setInputFiles('#file-input', {
      name: 'big.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(2 ** 20 + 1),
    });
    await page.locator('.note', { hasText: 'big.bin' }).waitFor(patience);
    expect(await page.locator('.note').last().textContent()).toBe(
      'big.bin is too large to send: the limit is 1 MB.',
    );
    expect(await page.locator('.message.user.failed .attachment').last().textContent()).toBe(
      '📎 big.bin (1 MB)',
    );

    // After a reload the file is still in the conversation, from the chat's history.
    await page.reload();
    await page.waitForSelector('#status.online');
    await expect
      .poll(() => page.locator('.message.user .attachment').allTextContents(), patience)
      .toEqual(['📎 notes.txt (22 B)', '📎 drop.png (4 B)']);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(tmpdir(), 'botwire-web-chat-375-files.png') });
  }, 60_000);

  it('signs in from a link, reconnects by itself, and shows proactive messages', async () => {
    const page = await phone();
    await page.goto(`${base}/#token=${ownerToken}`);
    await page.waitForSelector('#status.online');
    expect(new URL(page.url()).hash).toBe('');
    await send(page, '/whoami');
    await expect
      .poll(() => botMessages(page).last().textContent(), patience)
      .toMatch(/Role: owner/);
    const before = await page.locator('.message').count();

    // The server goes away and comes back on the same address.
    await bot.http().stop();
    await page.waitForSelector('#status.connecting', patience);
    await bot.http().start();
    await page.waitForSelector('#status.online', { timeout: 15_000 });
    expect(await page.locator('.message').count()).toBe(before);

    await bot.deliver(adapter, { platformId: 'owner', type: 'private' }, { text: 'Reminder: tea' });
    await expect.poll(() => botMessages(page).last().textContent(), patience).toBe('Reminder: tea');

    // What a background job sends comes as a job_result event: shown like a message, marked.
    await bot.deliver(
      adapter,
      { platformId: 'owner', type: 'private' },
      { text: 'Your report is ready', job: { id: 'job-1', kind: 'background' } },
    );
    await expect
      .poll(() => page.locator('.message.bot.job-result').last().textContent(), patience)
      .toBe('Your report is ready');
  }, 60_000);
});
