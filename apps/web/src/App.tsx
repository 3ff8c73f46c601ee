import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiClient } from './api/api-client';
import { AppServicesContext, type AppServices } from './app-services';
import type { Authenticator } from './auth/authenticator';
import { isExpired, type Session } from './auth/session';
import { GroupPage } from './components/GroupPage';
import { GroupsPage } from './components/GroupsPage';
import { Header } from './components/Header';
import { ImagePage } from './components/ImagePage';
import { PageHeading } from './components/PageHeading';
import { SearchPage } from './components/SearchPage';
import type { RuntimeConfig } from './config/runtime-config';
import { ImageStatusFeed } from './live/image-status-feed';
import { routeHref, useRoute, type Route } from './routing/routes';

export interface AppProps {
  config: RuntimeConfig;
  authenticator: Authenticator;
  initialSession: Session | undefined;
  /** Something to tell at once, e.g. why a sign-in redirect failed. */
  initialNotice?: string;
}

export function App({ config, authenticator, initialSession, initialNotice }: AppProps) {
  const [session, setSession] = useState(initialSession);
  const [notice, setNotice] = useState(initialNotice);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const main = useRef<HTMLElement>(null);
  const route = useRoute();

  const signOut = useCallback(async () => {
    await authenticator.signOut();
    setSession(undefined);
  }, [authenticator]);
  // A token renewed in the background replaces the session's, so requests never go out with an expired one.
  useEffect(() => authenticator.onRenewed(setSession), [authenticator]);
  const forget = useCallback(async () => {
    await authenticator.forget();
    setSession(undefined);
  }, [authenticator]);

  const api = useMemo(
    () =>
      new ApiClient({
        baseUrl: config.apiUrl,
        getToken: () => {
          const current = sessionRef.current;
          return current && !isExpired(current) ? current.accessToken : undefined;
        },
        onUnauthorized: () => {
          setNotice('Your sign-in has expired. Please sign in again.');
          void forget();
        },
      }),
    [config.apiUrl, forget],
  );
  const feed = useMemo(() => new ImageStatusFeed(config.websocketUrl), [config.websocketUrl]);
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  const services = useMemo<AppServices>(
    () => ({
      config,
      api,
      feed,
      authenticator,
      session,
      signIn: async (userName?: string) => {
        setNotice(undefined);
        setSession(await authenticator.signIn(userName));
      },
      signOut,
    }),
    [config, api, feed, authenticator, session, signOut],
  );

  return (
    <AppServicesContext.Provider value={services}>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <Header />
      {notice ? (
        <p role="alert" className="notice">
          {notice}
        </p>
      ) : null}
      <main id="main" ref={main} tabIndex={-1}>
        <Screen key={routeHref(route)} route={route} />
      </main>
    </AppServicesContext.Provider>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.page) {
    case 'groups':
      return <GroupsPage />;
    case 'group':
      return <GroupPage groupId={route.groupId} />;
    case 'image':
      return <ImagePage imageId={route.imageId} />;
    case 'search':
      return <SearchPage label={route.label} />;
    case 'not-found':
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <p>
            <a href={routeHref({ page: 'groups' })}>Go to the groups</a>
          </p>
        </>
      );
  }
}
