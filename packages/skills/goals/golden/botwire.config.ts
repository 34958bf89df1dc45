import { defineConfig } from '@botwire/core';

/** The goals skill alone, for its golden conversations: users in Tashkent (UTC+5). */
export default defineConfig({
  name: 'Goals',
  access: 'open',
  defaultTimezone: 'Asia/Tashkent',
  skills: [{ use: '..', permissions: ['storage', 'schedule'] }],
});
