export { AuthModule } from './auth.module.js';
export type { AuthenticatedUser } from './authenticated-user.js';
export { CurrentUser } from './current-user.decorator.js';
export { JwtAuthGuard } from './jwt-auth.guard.js';
export { Public } from './public.decorator.js';
