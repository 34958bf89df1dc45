import { loadSkills, validateManifest } from '@botwire/core';
import { compilePatterns, planForCommand, planForPattern } from '@botwire/core/testing';
import { describe, expect, it } from 'vitest';
import { BrowserPool } from './browser-pool';
import { createBrowserSkill } from './browser-tools';
import { normalizeUrl } from './open-page';
import { loadBrowserSkill, manifest } from './test-support';

describe('the browser skill manifest', () => {
  it('is valid and loads with its handlers', async () => {
    const registry = await loadBrowserSkill(new BrowserPool());
    expect(
      registry
        .listTools()
        .map((tool) => tool.name)
        .sort(),
    ).toEqual(['browser_extract', 'browser_pdf', 'browser_screenshot']);
  });

  it('has commands that take the URL', async () => {
    const registry = await loadBrowserSkill(new BrowserPool());
    const plan = (name: string) =>
      planForCommand(registry, { name, argument: 'example.org' })?.steps[0];
    expect(plan('browse')).toMatchObject({
      tool: 'browser_extract',
      arguments: { url: 'example.org' },
    });
    expect(plan('screenshot')).toMatchObject({ tool: 'browser_screenshot' });
    expect(plan('webpdf')).toMatchObject({ tool: 'browser_pdf' });
  });

  it.each([
    ['en', 'screenshot of https://example.org/a', 'browser_screenshot', {}],
    ['en', 'take a full-page screenshot of example.org', 'browser_screenshot', { fullPage: true }],
    ['en', 'save https://example.org/a as pdf', 'browser_pdf', {}],
    ['en', 'pdf of example.org/page', 'browser_pdf', {}],
    ['en', 'browse http://[::1]/', 'browser_extract', {}],
    ['en', 'open in browser example.org', 'browser_extract', {}],
    ['ru', 'скриншот https://example.org/a', 'browser_screenshot', {}],
    ['ru', 'сделай скриншот всей страницы example.org', 'browser_screenshot', { fullPage: true }],
    ['ru', 'сохрани страницу example.org в PDF', 'browser_pdf', {}],
    ['ru', 'открой в браузере file:///etc/passwd', 'browser_extract', {}],
  ] as const)('matches "%s: %s" with no model', async (locale, text, tool, fixed) => {
    const registry = await loadBrowserSkill(new BrowserPool());
    const step = planForPattern(compilePatterns(registry), text, locale)?.steps[0];
    expect(step?.tool).toBe(tool);
    expect(step?.arguments).toMatchObject(fixed);
    expect(registry.checkArguments(tool, step?.arguments).url).toMatch(/\S/);
  });

  it.each([
    ['en', 'take a screenshot'],
    ['en', 'what is a pdf of a document'],
    ['ru', 'скриншот'],
  ] as const)('leaves "%s: %s" to others', async (locale, text) => {
    const registry = await loadBrowserSkill(new BrowserPool());
    expect(planForPattern(compilePatterns(registry), text, locale)).toBeUndefined();
  });

  it('refuses to run without the browser permission', async () => {
    const registry = await loadSkills(
      [{ use: { manifest, definition: createBrowserSkill({ pool: new BrowserPool() }) } }],
      { baseDir: process.cwd() },
    );
    await expect(
      registry.callTool('browser_extract', { url: 'example.org' }),
    ).rejects.toMatchObject({
      code: 'BOTWIRE_TOOL_PERMISSION_DENIED',
    });
  });

  it('passes the schema check of core', () => {
    expect(validateManifest(manifest)).toEqual([]);
  });
});

describe('normalizeUrl', () => {
  it.each([
    ['example.org', 'https://example.org'],
    ['  <https://example.org/a>  ', 'https://example.org/a'],
    ['localhost:8080/x', 'https://localhost:8080/x'],
    ['//example.org', 'https://example.org'],
    ['http://127.0.0.1/', 'http://127.0.0.1/'],
    ['file:///etc/passwd', 'file:///etc/passwd'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
  ])('%s → %s', (input, output) => {
    expect(normalizeUrl(input)).toBe(output);
  });
});
