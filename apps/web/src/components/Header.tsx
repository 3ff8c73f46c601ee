import { navigate, routeHref } from '../routing/routes';
import { SearchForm } from './SearchForm';
import { SignInBox } from './SignInBox';

export function Header() {
  return (
    <header className="app-header">
      <a className="brand" href={routeHref({ page: 'groups' })}>
        Udagram
      </a>
      <SearchForm label="Search labels" onSearch={(word) => navigate({ page: 'search', label: word })} />
      <SignInBox />
    </header>
  );
}
