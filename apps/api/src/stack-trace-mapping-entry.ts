import { mapStackTracesOnDemand } from './stack-trace-mapping.js';

/** Injected first into every Lambda bundle: `import.meta.url` is then the bundle's own URL. */
mapStackTracesOnDemand(import.meta.url);
