import type { ToolContext, ToolHandlers, ToolReply } from '@botwire/core';
import type { MemoryFact } from './memory-fact';
import { policyFrom } from './memory-fact';
import { MemoryStore, sourceOf } from './memory-store';
import type { SkillInputs } from './skill-types';
import { normalizeTimezone, timeIn } from './timezone';

/** The memory of the user a tool runs for. */
export function memoryStoreFor(context: ToolContext): MemoryStore {
  return new MemoryStore({
    kv: context.userStorage,
    vectors: context.vectors,
    embeddings: context.embeddings,
    policy: policyFrom(context.config),
  });
}

/** A fact as tools return it in `data` (no internals such as the normalized text). */
export function describeFact(fact: MemoryFact) {
  return {
    id: fact.id,
    content: fact.content,
    category: fact.category,
    importance: fact.importance,
    pinned: fact.pinned,
    locked: fact.locked,
    status: fact.status,
    trust: fact.trust,
    source: fact.source,
    mentions: fact.mentions,
    createdAt: new Date(fact.createdAt).toISOString(),
    updatedAt: new Date(fact.updatedAt).toISOString(),
    expiresAt: fact.expiresAt === null ? null : new Date(fact.expiresAt).toISOString(),
  };
}

/** One line of a list: the fact, its id, and its marks. */
function line(context: ToolContext, fact: MemoryFact): string {
  const marks = [
    fact.pinned ? context.t('mark_pinned') : '',
    fact.locked ? context.t('mark_locked') : '',
    fact.status === 'quarantined' ? context.t('mark_review') : '',
  ].filter(Boolean);
  return `• ${fact.content} (${fact.id}${marks.length ? `, ${marks.join(', ')}` : ''})`;
}

const notFound = (context: ToolContext, id: string): ToolReply => ({
  text: context.t('not_found', { id }),
  data: { found: false, id },
});

/** The handlers of the memory skill's tools. */
export const memoryTools: ToolHandlers<SkillInputs> = {
  async memory_save(input, context) {
    const store = memoryStoreFor(context);
    const origin = sourceOf(context.provenance, context.message);
    const { fact, outcome } = await store.save(input, origin);
    const key =
      fact.status === 'quarantined'
        ? 'saved_for_review'
        : outcome === 'saved'
          ? 'saved'
          : outcome === 'merged'
            ? 'merged'
            : 'unchanged';
    return {
      text: context.t(key, { content: fact.content, id: fact.id }),
      data: { outcome, fact: describeFact(fact) },
    };
  },

  async memory_recall(input, context) {
    const found = await memoryStoreFor(context).recall(input.query, {
      limit: input.limit,
      minSimilarity: 0.05,
    });
    const facts = found.map(({ fact, similarity }) => ({
      ...describeFact(fact),
      similarity: Math.round(similarity * 1000) / 1000,
    }));
    return {
      text: facts.length
        ? found.map(({ fact }) => `• ${fact.content}`).join('\n')
        : context.t('nothing_found'),
      data: { facts },
    };
  },

  async memory_list(input, context) {
    const view = input.view ?? 'active';
    const all = await memoryStoreFor(context).all();
    const facts = all
      .filter((fact) =>
        view === 'all'
          ? true
          : view === 'review'
            ? fact.status === 'quarantined'
            : fact.status === 'active',
      )
      .slice(0, input.limit ?? 50);
    const waiting = all.filter((fact) => fact.status === 'quarantined').length;
    if (facts.length === 0) {
      return {
        text: context.t(view === 'review' ? 'review_empty' : 'empty'),
        data: { facts: [], waiting },
      };
    }
    const lines = facts.map((fact) => line(context, fact));
    const header = context.t(view === 'review' ? 'review_header' : 'list_header', {
      count: facts.length,
    });
    const footer =
      view === 'review'
        ? context.t('review_footer')
        : waiting && view === 'active'
          ? context.t('waiting_footer', { count: waiting })
          : '';
    return {
      text: [header, ...lines, footer].filter(Boolean).join('\n'),
      ...(view === 'review'
        ? {
            buttons: facts.slice(0, 5).map((fact) => [
              {
                label: `${context.t('approve_button')}: ${fact.content.slice(0, 24)}`,
                data: `/memory_approve ${fact.id}`,
              },
              { label: context.t('reject_button'), data: `/forget ${fact.id}` },
            ]),
          }
        : {}),
      data: { facts: facts.map(describeFact), waiting },
    };
  },

  async memory_forget(input, context) {
    const { forgotten, locked } = await memoryStoreFor(context).forget(input.target);
    if (locked)
      return {
        text: context.t('locked_refused', { content: locked.content, id: locked.id }),
        data: { forgotten: false, locked: true, id: locked.id },
      };
    if (!forgotten)
      return {
        text: context.t('forget_not_found', { target: input.target }),
        data: { forgotten: false },
      };
    return {
      text: context.t('forgotten', { content: forgotten.content }),
      data: { forgotten: true, fact: describeFact(forgotten) },
    };
  },

  async memory_pin(input, context) {
    const fact = await memoryStoreFor(context).setPinned(input.id, input.pinned ?? true);
    if (!fact) return notFound(context, input.id);
    return {
      text: context.t(fact.pinned ? 'pinned' : 'unpinned', { content: fact.content }),
      data: { fact: describeFact(fact) },
    };
  },

  async memory_lock(input, context) {
    const fact = await memoryStoreFor(context).setLocked(input.id, input.locked ?? true);
    if (!fact) return notFound(context, input.id);
    return {
      text: context.t(fact.locked ? 'locked' : 'unlocked', { content: fact.content }),
      data: { fact: describeFact(fact) },
    };
  },

  async memory_approve(input, context) {
    const store = memoryStoreFor(context);
    const existing = await store.get(input.id);
    if (!existing) return notFound(context, input.id);
    if (existing.status === 'active')
      return {
        text: context.t('already_active', { content: existing.content }),
        data: { fact: describeFact(existing) },
      };
    const fact = (await store.approve(input.id))!;
    return {
      text: context.t('approved', { content: fact.content }),
      data: { fact: describeFact(fact) },
    };
  },

  async memory_timezone(input, context) {
    if (input.timezone === undefined) {
      const current = await context.preferences.get<string>('timezone');
      if (!current) return { text: context.t('timezone_unknown'), data: { timezone: null } };
      return {
        text: context.t('timezone_is', { timezone: current, time: timeIn(current) }),
        data: { timezone: current },
      };
    }
    const timezone = normalizeTimezone(input.timezone);
    if (!timezone) {
      return {
        text: context.t('timezone_invalid', { timezone: input.timezone }),
        data: { timezone: null, invalid: input.timezone },
      };
    }
    await context.preferences.set('timezone', timezone);
    // Also a fact, so the model knows it; saying a new zone replaces the old fact.
    const store = memoryStoreFor(context);
    for (const fact of await store.all()) {
      if (fact.category === 'preference' && fact.normalized.startsWith('timezone '))
        await store.forget(fact.id);
    }
    await store.save(
      { content: `timezone=${timezone}`, category: 'preference', importance: 0.8, pinned: true },
      sourceOf(context.provenance, context.message),
    );
    return {
      text: context.t('timezone_set', { timezone, time: timeIn(timezone) }),
      data: { timezone },
    };
  },
};
