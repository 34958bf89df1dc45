import { formError } from './discord-objects';

/** A problem with a message body: the status and Discord error body to answer with. */
export interface BodyProblem {
  status: number;
  body: unknown;
}

/** Checks action rows as Discord does: five rows of one to five buttons, labels, custom_ids, links. */
export function checkComponents(rows: unknown[]): BodyProblem | undefined {
  if (rows.length > 5)
    return {
      status: 400,
      body: formError(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.'),
    };
  const customIds = new Set<string>();
  for (const [rowIndex, row] of rows.entries()) {
    const { type, components } = row as { type?: number; components?: unknown[] };
    if (type !== 1 || !Array.isArray(components))
      return {
        status: 400,
        body: formError(
          ['components', String(rowIndex), 'type'],
          'UNION_TYPE_CHOICES',
          'Value of field "type" must be one of (1,).',
        ),
      };
    if (components.length < 1 || components.length > 5)
      return {
        status: 400,
        body: formError(
          ['components', String(rowIndex), 'components'],
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 5 in length.',
        ),
      };
    for (const [index, component] of components.entries()) {
      const button = component as {
        type?: number;
        style?: number;
        label?: string;
        custom_id?: string;
        url?: string;
      };
      const at = ['components', String(rowIndex), 'components', String(index)];
      if (button.type !== 2) continue;
      if (typeof button.label === 'string' && button.label.length > 80)
        return {
          status: 400,
          body: formError(
            [...at, 'label'],
            'BASE_TYPE_MAX_LENGTH',
            'Must be 80 or fewer in length.',
          ),
        };
      if (button.style === 5) {
        if (!button.url || button.custom_id)
          return {
            status: 400,
            body: formError(
              [...at, 'url'],
              'BUTTON_COMPONENT_URL_REQUIRED',
              'A link button needs a url and no custom_id.',
            ),
          };
        continue;
      }
      if (
        typeof button.custom_id !== 'string' ||
        button.custom_id.length < 1 ||
        button.custom_id.length > 100
      )
        return {
          status: 400,
          body: formError(
            [...at, 'custom_id'],
            'BASE_TYPE_BAD_LENGTH',
            'Must be between 1 and 100 in length.',
          ),
        };
      if (customIds.has(button.custom_id))
        return {
          status: 400,
          body: formError(
            [...at, 'custom_id'],
            'COMPONENT_CUSTOM_ID_DUPLICATED',
            'Component custom id cannot be duplicated',
          ),
        };
      customIds.add(button.custom_id);
    }
  }
  return undefined;
}

/** Checks a bulk overwrite of application commands: names, uniqueness, description lengths. */
export function checkCommands(commands: Record<string, unknown>[]): BodyProblem | undefined {
  const names = new Set<string>();
  for (const [index, command] of commands.entries()) {
    const name = command.name;
    if (
      typeof name !== 'string' ||
      !/^[-_\p{L}\p{N}]{1,32}$/u.test(name) ||
      name !== name.toLowerCase()
    )
      return {
        status: 400,
        body: formError(
          [String(index), 'name'],
          'APPLICATION_COMMAND_INVALID_NAME',
          'Command name is invalid',
        ),
      };
    if (names.has(name))
      return {
        status: 400,
        body: formError(
          [String(index), 'name'],
          'APPLICATION_COMMANDS_DUPLICATE_NAME',
          'Application command names must be unique',
        ),
      };
    names.add(name);
    const description = command.description;
    const type = command.type ?? 1;
    if (
      type === 1 &&
      (typeof description !== 'string' || description.length < 1 || description.length > 100)
    )
      return {
        status: 400,
        body: formError(
          [String(index), 'description'],
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 100 in length.',
        ),
      };
    const localized = (command.description_localizations ?? {}) as Record<string, unknown>;
    for (const [locale, text] of Object.entries(localized)) {
      if (typeof text !== 'string' || text.length < 1 || text.length > 100)
        return {
          status: 400,
          body: formError(
            [String(index), 'description_localizations', locale],
            'BASE_TYPE_BAD_LENGTH',
            'Must be between 1 and 100 in length.',
          ),
        };
    }
  }
  return undefined;
}
