/** The name the JWT strategy is registered under with passport, apart so the guard need not load the strategy. */
export const JWT_STRATEGY = 'jwt';
