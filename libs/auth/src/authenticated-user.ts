/** Who is calling: `userId` is the verified token's `sub`. */
export interface AuthenticatedUser {
  userId: string;
}
