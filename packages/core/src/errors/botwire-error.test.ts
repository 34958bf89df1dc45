import { describe, expect, it } from 'vitest';
import { BotwireError, isBotwireError } from './botwire-error';

describe('BotwireError', () => {
  it('describes its problems and hint for a terminal', () => {
    const error = new BotwireError('BOTWIRE_SKILLS_INVALID', {
      hint: 'fix them',
      problems: [
        {
          path: '/version',
          code: 'BOTWIRE_MANIFEST_FIELD_PATTERN',
          message: 'bad version',
          file: 'a/skill.json',
        },
      ],
    });
    expect(error.describe()).toBe(
      'BOTWIRE_SKILLS_INVALID: The bot cannot start: its skills have problems. Fix every problem listed below.\n  - a/skill.json /version: bad version [BOTWIRE_MANIFEST_FIELD_PATTERN]\n  hint: fix them',
    );
    expect(error.toJSON()).toMatchObject({ code: 'BOTWIRE_SKILLS_INVALID', hint: 'fix them' });
  });

  it('is recognized by code, also when it comes from another copy of the package', () => {
    const own = new BotwireError('BOTWIRE_TOOL_TIMEOUT');
    expect(isBotwireError(own)).toBe(true);
    expect(isBotwireError(own, 'BOTWIRE_TOOL_TIMEOUT')).toBe(true);
    expect(isBotwireError(own, 'BOTWIRE_TOOL_FAILED')).toBe(false);
    const foreign = Object.assign(new Error('from another copy'), {
      name: 'BotwireError',
      code: 'BOTWIRE_MODEL_TIMEOUT',
    });
    expect(isBotwireError(foreign, 'BOTWIRE_MODEL_TIMEOUT')).toBe(true);
    const impostor = Object.assign(new Error('x'), { name: 'BotwireError', code: 'NOT_A_CODE' });
    expect(isBotwireError(impostor)).toBe(false);
    expect(isBotwireError(new Error('plain'))).toBe(false);
    expect(isBotwireError('BOTWIRE_TOOL_TIMEOUT')).toBe(false);
  });
});
