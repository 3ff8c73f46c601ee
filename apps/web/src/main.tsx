import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { describeError } from './api/api-error';
import { App } from './App';
import { createAuthenticator } from './auth/authenticator';
import type { Session } from './auth/session';
import { loadRuntimeConfig } from './config/runtime-config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

async function start() {
  const config = await loadRuntimeConfig();
  const authenticator = await createAuthenticator(config.auth);
  // A failed restore (e.g. a provider's error redirect) is told, and the app starts signed out.
  let initialSession: Session | undefined;
  let initialNotice: string | undefined;
  try {
    initialSession = await authenticator.restore();
  } catch (error) {
    initialNotice = describeError(error);
  }
  root.render(
    <StrictMode>
      <App
        config={config}
        authenticator={authenticator}
        initialSession={initialSession}
        initialNotice={initialNotice}
      />
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  root.render(
    <main className="startup-error">
      <h1>Udagram cannot start</h1>
      <p role="alert">{describeError(error)}</p>
    </main>,
  );
});
