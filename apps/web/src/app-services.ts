import { createContext, useContext } from 'react';
import type { ApiClient } from './api/api-client';
import type { Authenticator } from './auth/authenticator';
import type { Session } from './auth/session';
import type { RuntimeConfig } from './config/runtime-config';
import type { ImageStatusFeed } from './live/image-status-feed';

/** What every screen needs, made once at start from /config.json. */
export interface AppServices {
  config: RuntimeConfig;
  api: ApiClient;
  feed: ImageStatusFeed;
  authenticator: Authenticator;
  session: Session | undefined;
  signIn: (userName?: string) => Promise<void>;
  signOut: () => Promise<void>;
}

export const AppServicesContext = createContext<AppServices | undefined>(undefined);

export function useAppServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error('useAppServices is used outside <AppServicesContext.Provider>');
  return services;
}
