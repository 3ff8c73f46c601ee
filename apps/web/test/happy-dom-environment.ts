import { GlobalWindow } from 'happy-dom';
import { populateGlobal, type Environment } from 'vitest/runtime';

/**
 * Vitest's built-in `happy-dom` environment imports happy-dom from where Vitest is installed (the repository root),
 * but happy-dom is this package's dependency: the same set-up, importing it from here.
 */
export default {
  name: 'happy-dom',
  viteEnvironment: 'client',
  async setup(global) {
    const window = new GlobalWindow({
      console: global.console,
      url: 'http://localhost:3000',
      settings: { disableErrorCapturing: true },
    });
    const { keys, originals } = populateGlobal(global, window, {
      bindFunctions: true,
      // happy-dom's own versions, as in Vitest's environment.
      additionalKeys: [
        'Request',
        'Response',
        'MessagePort',
        'fetch',
        'Headers',
        'AbortController',
        'AbortSignal',
        'URL',
        'URLSearchParams',
        'FormData',
      ],
    });
    return {
      async teardown(scope) {
        await window.happyDOM.abort();
        window.close();
        for (const key of keys) delete scope[key];
        for (const [key, value] of originals) scope[key] = value;
      },
    };
  },
} satisfies Environment;
