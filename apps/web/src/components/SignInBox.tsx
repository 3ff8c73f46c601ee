import { useId, useState, type FormEvent } from 'react';
import { useAppServices } from '../app-services';
import { ErrorMessage } from './ErrorMessage';
import { useBusyAction } from './use-busy-action';

/** Locally: a user name, exchanged for a dev token. With an OIDC provider: a button that goes to it. */
export function SignInBox() {
  const { session, authenticator, signIn, signOut } = useAppServices();
  const [userName, setUserName] = useState('');
  const { busy, error, run } = useBusyAction();
  const userNameId = useId();

  if (session) {
    return (
      <div className="sign-in">
        <span>
          Signed in as <strong>{session.userId}</strong>
        </span>
        <button type="button" onClick={() => void run(signOut)} disabled={busy}>
          Sign out
        </button>
      </div>
    );
  }

  if (authenticator.mode === 'oidc') {
    return (
      <div className="sign-in">
        <button type="button" onClick={() => void run(() => signIn())} disabled={busy}>
          Sign in
        </button>
        <ErrorMessage message={error} />
      </div>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() => signIn(userName));
  }

  return (
    <form className="sign-in" onSubmit={submit} aria-label="Sign in">
      <label htmlFor={userNameId}>User name</label>
      <input
        id={userNameId}
        value={userName}
        onChange={(event) => setUserName(event.target.value)}
        required
        maxLength={64}
        autoComplete="username"
      />
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
