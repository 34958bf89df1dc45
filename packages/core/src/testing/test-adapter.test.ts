import { runAdapterContract } from '../contracts/adapter-contract';
import { testAdapter } from './test-adapter';

// The in-memory adapter is the reference implementation the contract suite is checked against.
runAdapterContract(
  'test adapter',
  async () => {
    const test = testAdapter({ maxTextLength: 500 });
    const textsFor = (chatId: string) =>
      test.delivered.filter((item) => item.chatId === chatId).map((item) => item.text);
    return {
      adapter: test.adapter,
      userSends: async (text, from) => {
        await test.say(text, from ? { userId: from.userId, chatId: from.chatId } : {});
      },
      userPresses: async (data, from) => {
        await test.press(data, from ? { userId: from.userId, chatId: from.chatId } : {});
      },
      seenTexts: async (from) => textsFor(from?.chatId ?? 'chat-user-1'),
    };
  },
  {
    users: [
      { userId: 'ann', chatId: 'chat-ann' },
      { userId: 'bob', chatId: 'chat-bob' },
    ],
  },
);
