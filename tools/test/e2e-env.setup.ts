import { inject } from 'vitest';
import type {} from './provided-context.js';

// Runs in each e2e worker before its test file is imported, so config read at boot sees the run's local cloud.
Object.assign(process.env, inject('localCloudEnv'));
