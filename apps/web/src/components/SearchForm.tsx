import { useId, useState, type FormEvent } from 'react';

/** One word of a label (the API matches whole words, case-insensitively). */
export function SearchForm({
  initial = '',
  label,
  onSearch,
}: {
  initial?: string;
  label: string;
  onSearch: (word: string) => void;
}) {
  const [word, setWord] = useState(initial);
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(word.trim());
  }

  return (
    <form role="search" className="search-form" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={word}
        onChange={(event) => setWord(event.target.value)}
        placeholder="e.g. squirrel"
      />
      <button type="submit">Search</button>
    </form>
  );
}
