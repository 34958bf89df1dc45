import { type BotContext, defineConversation, isBotwireError } from '@botwire/core';

/** What checking the document found out, kept in the conversation's data. */
interface ApiFound {
  name: string;
  title: string;
  auth: string;
  needs: string[];
  operations: string[];
  health?: { checked: boolean; path: string; status: number; preview: string };
}

interface ConnectData extends Record<string, unknown> {
  /** The document's address, or the document itself when it came as a file. */
  url: string | { document: string };
  api: ApiFound;
  credential?: string;
  save?: boolean;
}

const ru = (context: BotContext) => context.locale === 'ru';

/** The largest OpenAPI document accepted as a file. */
const maxDocumentBytes = 2 * 1024 * 1024;

/** `integration_add`'s arguments for where the API is described. */
const source = (url: ConnectData['url']) => (typeof url === 'string' ? { url } : url);

/** The tool's `data`, or the error's message for the user. */
async function dryRun(
  context: BotContext,
  args: Record<string, unknown>,
): Promise<{ found: ApiFound } | { error: string }> {
  try {
    const reply = (await context.callTool('integration_add', { ...args, dry_run: true })) as {
      data?: ApiFound;
    };
    if (!reply?.data) return { error: 'The API could not be read.' };
    return { found: reply.data };
  } catch (error) {
    return { error: isBotwireError(error) ? error.message : String(error) };
  }
}

/** The credentials a dry run needs from the one answer the user gave. */
function credentialsFrom(auth: string, answer: string): Record<string, unknown> {
  const text = answer.trim();
  const [first, ...rest] = text.split(':');
  if (auth === 'basic' && rest.length)
    return { credentials: { username: first, password: rest.join(':') } };
  if (auth === 'oauth2' && rest.length)
    return { credentials: { client_id: first, client_secret: rest.join(':') } };
  return { token: text };
}

function describeHealth(context: BotContext, api: ApiFound): string {
  const health = api.health;
  if (!health?.checked)
    return ru(context) ? 'Проверки здоровья у API нет.' : 'The API has no health check.';
  const preview = health.preview ? `\n${health.preview.slice(0, 300)}` : '';
  return ru(context)
    ? `Проверка: GET ${health.path} → ${health.status}.${preview}`
    : `Health check: GET ${health.path} → ${health.status}.${preview}`;
}

/**
 * Connecting an API step by step (`/connect` without an address): the address of its OpenAPI
 * document (read and checked at once; an API without auth is tested too), the credential when
 * it needs one (kept encrypted, hidden from the history; tested at once), then the test's status
 * and a preview and a question: save it? Nothing is saved before the yes, nor when a check fails.
 */
export const connectConversation = defineConversation<ConnectData>({
  name: 'integration_connect',
  steps: [
    {
      id: 'url',
      ask: (context) =>
        ru(context)
          ? 'Пришлите адрес OpenAPI-документа вашего API (например, https://…/openapi.json) или сам документ файлом. /cancel — отменить.'
          : "Send the address of your API's OpenAPI document (such as https://…/openapi.json), or the document itself as a file. /cancel to stop.",
      async answer({ text, attachments }, _data, context) {
        // The document itself, sent as a file.
        const file = attachments.find((item) => item.kind === 'document' && item.download);
        if (file) {
          if (file.size !== undefined && file.size > maxDocumentBytes)
            return {
              error: ru(context)
                ? 'Файл больше 2 МБ: пришлите адрес документа.'
                : 'The file is over 2 MB: send the address of the document instead.',
            };
          const bytes = await file.download!();
          if (bytes.byteLength > maxDocumentBytes)
            return { error: 'The file is over 2 MB: send the address of the document instead.' };
          const document = new TextDecoder().decode(bytes);
          const checked = await dryRun(context, { document });
          if ('error' in checked) return { error: checked.error };
          return { value: { document }, data: { api: checked.found } };
        }
        const url = text.trim();
        if (!/^https?:\/\/\S+$/i.test(url))
          return {
            error: ru(context)
              ? 'Нужен адрес, начинающийся с http:// или https://, или сам документ файлом.'
              : 'That needs to be an address starting with http:// or https://, or the document itself as a file.',
          };
        const checked = await dryRun(context, { url });
        if ('error' in checked) return { error: checked.error };
        return { value: url, data: { api: checked.found } };
      },
    },
    {
      id: 'credential',
      secret: true,
      skip: (data) => data.api.needs.length === 0,
      ask: (context, data) => {
        const what =
          data.api.auth === 'basic'
            ? 'user:password'
            : data.api.auth === 'oauth2'
              ? 'client_id:client_secret'
              : ru(context)
                ? 'токен'
                : 'token';
        return ru(context)
          ? `${data.api.title} (${data.api.operations.length} операций) требует авторизации (${data.api.auth}). Пришлите ${what}: я сохраню его в зашифрованном виде, в истории чата его не будет.`
          : `${data.api.title} (${data.api.operations.length} operations) needs ${data.api.auth} auth. Send the ${what}: I keep it encrypted, and the chat's history will not show it.`;
      },
      async answer({ text }, data, context) {
        const checked = await dryRun(context, {
          ...source(data.url),
          name: data.api.name,
          ...credentialsFrom(data.api.auth, text),
        });
        if ('error' in checked) return { error: checked.error };
        return { value: text.trim(), data: { api: checked.found } };
      },
    },
    {
      id: 'save',
      ask: (context, data) => ({
        text: `${describeHealth(context, data.api)}\n${
          ru(context)
            ? `Сохранить ${data.api.name} (${data.api.operations.length} операций)?`
            : `Save ${data.api.name} (${data.api.operations.length} operations)?`
        }`,
        buttons: [
          [
            { label: ru(context) ? 'Сохранить' : 'Save', data: 'yes' },
            { label: ru(context) ? 'Не сохранять' : 'Do not save', data: 'no' },
          ],
        ],
      }),
      answer({ text, buttonData }, _data, context) {
        const said = (buttonData ?? text).trim().toLowerCase();
        if (/^(yes|y|save|да|д|сохранить|ок|ok)$/.test(said)) return { value: true };
        if (/^(no|n|нет|н|не сохранять|do not save)$/.test(said)) return { value: false };
        return { error: ru(context) ? 'Ответьте «да» или «нет».' : 'Answer yes or no.' };
      },
    },
  ],
  async done(context, data) {
    if (data.save !== true) {
      await context.reply(ru(context) ? 'Не сохранил.' : 'Not saved.');
      return;
    }
    try {
      const reply = (await context.callTool('integration_add', {
        ...source(data.url),
        name: data.api.name,
        ...(data.credential ? credentialsFrom(data.api.auth, data.credential) : {}),
      })) as { text?: string };
      await context.reply(reply?.text ?? `Connected ${data.api.name}.`);
    } catch (error) {
      await context.reply(isBotwireError(error) ? error.message : String(error));
    }
  },
});
