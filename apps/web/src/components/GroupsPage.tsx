import { useCallback, useId, useState, type FormEvent } from 'react';
import type { Group } from '../api/types';
import { useAppServices } from '../app-services';
import { usePagedList } from '../paging/use-paged-list';
import { routeHref } from '../routing/routes';
import { ErrorMessage } from './ErrorMessage';
import { PageHeading } from './PageHeading';
import { useBusyAction } from './use-busy-action';

export function GroupsPage() {
  const { api, session } = useAppServices();
  const loadPage = useCallback((nextKey?: string) => api.listGroups(nextKey), [api]);
  const groups = usePagedList<Group>('groups', loadPage);

  return (
    <>
      <PageHeading>Groups</PageHeading>
      {session ? (
        <CreateGroupForm onCreated={(group) => groups.setItems((items) => [group, ...items])} />
      ) : (
        <p className="hint">Sign in to create a group or upload photos.</p>
      )}
      <section aria-label="All groups" aria-busy={groups.loading}>
        {groups.loading ? <p role="status">Loading groups…</p> : null}
        {!groups.loading && !groups.error && groups.items.length === 0 ? <p>No groups yet.</p> : null}
        <ul className="group-list">
          {groups.items.map((group) => (
            <li key={group.id} className="group-card">
              <a href={routeHref({ page: 'group', groupId: group.id })}>{group.name}</a>
              {group.description ? <p>{group.description}</p> : null}
              <p className="hint">by {group.userId}</p>
            </li>
          ))}
        </ul>
        <ErrorMessage message={groups.error} />
        {groups.hasMore ? (
          <button type="button" onClick={groups.loadMore} disabled={groups.loadingMore}>
            {groups.loadingMore ? 'Loading…' : 'Load more groups'}
          </button>
        ) : null}
      </section>
    </>
  );
}

function CreateGroupForm({ onCreated }: { onCreated: (group: Group) => void }) {
  const { api } = useAppServices();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useBusyAction();
  const ids = { name: useId(), description: useId() };

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      onCreated(await api.createGroup({ name: name.trim(), description: description.trim() }));
      setName('');
      setDescription('');
    });
  }

  return (
    <form className="create-group" onSubmit={submit} aria-label="Create a group">
      <h2>Create a group</h2>
      <label htmlFor={ids.name}>Name</label>
      <input id={ids.name} value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
      <label htmlFor={ids.description}>Description (optional)</label>
      <textarea
        id={ids.description}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        maxLength={1000}
        rows={2}
      />
      <button type="submit" disabled={busy}>
        Create group
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
