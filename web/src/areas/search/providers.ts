import { api, withQuery } from '../../api/client';
import type { Page, Role, StoredEvent } from '../../api/types';

export interface SearchHit {
  key: string;
  title: string;
  detail: string;
  href: string;
}

export interface SearchGroup {
  label: string;
  hits: SearchHit[];
  /** Where to see every match, when there may be more than the hits shown. */
  moreHref?: string;
}

/**
 * A source of global search results. The box in the header asks every provider the role may
 * use; profiles, contacts, companies and deals become providers as their APIs arrive.
 */
export interface SearchProvider {
  id: string;
  label: string;
  roles: readonly Role[];
  search(q: string, signal: AbortSignal): Promise<SearchGroup[]>;
}

const eventKeys = [
  { filter: 'userId', label: 'Events by user ID' },
  { filter: 'anonymousId', label: 'Events by anonymous ID' },
  { filter: 'messageId', label: 'Event by message ID' },
] as const;

const eventsProvider: SearchProvider = {
  id: 'events',
  label: 'Events',
  roles: ['marketer'],
  async search(q, signal) {
    // The explorer matches identifiers exactly; one query per kind of identifier.
    const pages = await Promise.all(
      eventKeys.map(({ filter }) =>
        api<Page<StoredEvent>>(withQuery('/api/v1/events', { [filter]: q, limit: 5 }), {
          signal,
        }),
      ),
    );
    return eventKeys.flatMap(({ filter, label }, i) => {
      const page = pages[i];
      if (!page || page.data.length === 0) return [];
      const href = withQuery('/events', { [filter]: q });
      return [
        {
          label,
          moreHref: href,
          hits: page.data.map((event) => ({
            key: `${filter}-${event.seq}`,
            title: `${event.type}${event.event ? `: ${event.event}` : ''}`,
            detail: `${new Date(event.receivedAt).toLocaleString()} · ${event.messageId}`,
            href: withQuery('/events', { messageId: event.messageId }),
          })),
        },
      ];
    });
  },
};

interface ProfileHit {
  id: string;
  traits: Record<string, unknown>;
  lastSeen: string;
}

/** Unified profiles by any identifier value (e-mail, phone, device…) or trait text. */
const profilesProvider: SearchProvider = {
  id: 'profiles',
  label: 'Profiles',
  roles: ['marketer'],
  async search(q, signal) {
    const page = await api<Page<ProfileHit>>(
      withQuery('/api/v1/profiles', { query: q, limit: 5 }),
      {
        signal,
      },
    );
    if (page.data.length === 0) return [];
    return [
      {
        label: 'Profiles',
        moreHref: withQuery('/profiles', { q }),
        hits: page.data.map((profile) => {
          const email = profile.traits.email;
          return {
            key: `profile-${profile.id}`,
            title: typeof email === 'string' && email ? email : profile.id,
            detail: `${profile.id} · last seen ${new Date(profile.lastSeen).toLocaleString()}`,
            href: `/profiles/${encodeURIComponent(profile.id)}`,
          };
        }),
      },
    ];
  },
};

export const searchProviders: readonly SearchProvider[] = [profilesProvider, eventsProvider];

export function providersFor(role: Role): SearchProvider[] {
  return searchProviders.filter((p) => role === 'admin' || p.roles.includes(role));
}
