import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leftOutPackagesPlugin } from './left-out-packages.js';
import { LAMBDA_NODE_TARGET } from './lambda-platform.js';
import { NATIVE_PACKAGES } from './native-packages.js';

export interface BundleOptions {
  /** The compiled entry module (JavaScript from `nest build api`, which kept the decorator metadata). */
  entry: string;
  /** Receives `index.mjs` and `index.mjs.map`. */
  outDir: string;
  /** Paths are relative to it, in the options and in the metafile. */
  workingDirectory: string;
}

export interface Bundle {
  file: string;
  metafile: Metafile;
  /** What the bundle still imports at run time (Node built-ins, optional integrations, native packages). */
  externalImports: string[];
}

/**
 * Optional integrations that Nest and class-transformer load only when installed (guarded by try/catch). Left
 * external, the guarded import fails as "not installed", as it does in a plain `node_modules`.
 */
export const OPTIONAL_EXTERNALS = [
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@fastify/static',
  'class-transformer/storage',
];

// ESM output has no `require`; CommonJS packages inside the bundle (express, the AWS SDK's helpers) need one.
const REQUIRE_BANNER =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

/**
 * Put first in every bundle: maps its stack traces through `index.mjs.map` when one is first formatted
 * (apps/api/src/stack-trace-mapping.ts, compiled or not, as this module is).
 */
const STACK_TRACE_MAPPING = fileURLToPath(
  new URL(`../../apps/api/src/stack-trace-mapping-entry${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * One ES module per handler: minified with names kept (Nest and the error filter use class names), its source map
 * beside it but not linked, so Node does not read it while the bundle loads: the bundle's own stack-trace mapping
 * reads it when a trace is first formatted (apps/api/src/stack-trace-mapping.ts). A metafile for the dev-only check.
 */
export async function bundleLambda(options: BundleOptions): Promise<Bundle> {
  const file = join(options.outDir, 'index.mjs');
  const result = await build({
    ...lambdaBuildOptions(options.entry, options.workingDirectory),
    outfile: file,
    metafile: true,
  });
  const [, output] = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))!;
  const externalImports = output.imports.filter((imported) => imported.external).map(({ path }) => path);
  return { file, metafile: result.metafile, externalImports: [...new Set(externalImports)] };
}

/** esbuild's options for a handler's bundle (without the output file), shared with the checks of its import graph. */
export function lambdaBuildOptions(entry: string, workingDirectory: string): BuildOptions {
  return {
    absWorkingDir: workingDirectory,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    // The Lambda runtime's Node, which the bench and the e2e tests also run the bundle on.
    target: LAMBDA_NODE_TARGET,
    // The ES module builds first (rxjs, the AWS SDK, class-validator ship one): they tree-shake, which keeps the
    // bundle under 3 MB. A package is still resolved the same way for import and require, so one copy of each.
    mainFields: ['module', 'main'],
    format: 'esm',
    minify: true,
    keepNames: true,
    sourcemap: 'external',
    inject: [STACK_TRACE_MAPPING],
    // Stack traces need the mappings only; the sources would double the package.
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    external: [...OPTIONAL_EXTERNALS, ...NATIVE_PACKAGES],
    plugins: [mappedTypesRequirePlugin, swaggerShimPlugin(workingDirectory), leftOutPackagesPlugin],
    logLevel: 'warning',
  };
}

/**
 * @nestjs/mapped-types loads class-validator through its own `createRequire(import.meta.url)`, which esbuild
 * cannot see: the bundle would then look for class-validator beside itself at run time, and DTOs made with
 * PartialType/PickType/OmitType would lose their validation. Without that local `require`, esbuild bundles the
 * calls like any other CommonJS require.
 */
/**
 * The OpenAPI document is made at build time, never in a Lambda: there the Swagger decorators only cost load time,
 * so the bundle takes Nest's own no-op shim of them (a decorator the shim lacks fails the build). The shim is not in
 * the package's exports map, hence the path.
 */
export function swaggerShimPlugin(workingDirectory: string): Plugin {
  const shim = join(workingDirectory, 'node_modules/@nestjs/swagger/dist/extra/swagger-shim.js');
  return {
    name: 'swagger-shim',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@nestjs\/swagger$/ }, () => ({ path: shim }));
    },
  };
}

export const mappedTypesRequirePlugin: Plugin = {
  name: 'mapped-types-require',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]@nestjs[\\/]mapped-types[\\/]dist[\\/]type-helpers\.utils\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const localRequire = /^const require = createRequire\(import\.meta\.url\);$/m;
      if (!localRequire.test(source)) {
        // Fail loudly: a new version may load class-validator another way, which this build must be told about.
        return { errors: [{ text: `${args.path} no longer declares the local require this plugin removes` }] };
      }
      return { contents: source.replace(localRequire, ''), loader: 'js' };
    });
  },
};
