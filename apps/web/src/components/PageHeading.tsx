import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The screen's h1. It takes the focus when the screen opens, so keyboard and screen-reader users start at the top
 * of the new content rather than on the link they followed.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
