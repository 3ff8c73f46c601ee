import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'udagram:isPublic';

/** Opts a route out of the global JWT guard: reads are public, everything else needs a token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
