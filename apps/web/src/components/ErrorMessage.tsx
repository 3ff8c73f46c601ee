/** An error for people: announced by screen readers as soon as it appears. */
export function ErrorMessage({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="error-message">
      {message}
    </p>
  );
}
