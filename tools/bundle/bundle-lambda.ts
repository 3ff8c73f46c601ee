import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { leftOutPackagesPlugin } from './left-out-packages.js';
import { LAMBDA_NODE_TARGET } from './lambda-platform.js';
import { NATIVE_PACKAGES } from './native-packages.js';

export interface BundleOptions {
  /** The compiled entry module (JavaScript from `nest build api`, which kept the decorator metadata). */
  entry: string;
  /** Receives `index.mjs`, the chunks it loads on demand (`chunks/`) and their source maps. */
  outDir: string;
  /** Paths are relative to it, in the options and in the metafile. */
  workingDirectory: string;
}

export interface Bundle {
  /** The entry module, `index.mjs`. */
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
 * One ES module per handler: minified with names kept (Nest and the error filter use class names), external
 * source map (read through NODE_OPTIONS=--enable-source-maps), and a metafile for the dev-only check. What the code
 * loads with a dynamic `import()` goes into chunks of its own, parsed only if that import runs: the AWS SDK's
 * credential providers other than the environment's (SSO, INI files, STS, web identity: Lambda never needs them), the
 * browser user-agent parser, file-type. Together ≈ 19 ms less CPU per API cold start (bench/COLD-START.md).
 */
export async function bundleLambda(options: BundleOptions): Promise<Bundle> {
  const result = await build({
    ...lambdaBuildOptions(options.entry, options.workingDirectory),
    outdir: options.outDir,
    metafile: true,
  });
  const outputs = Object.values(result.metafile.outputs);
  const externalImports = outputs.flatMap(({ imports }) =>
    imports.filter(({ external }) => external).map(({ path }) => path),
  );
  return {
    file: join(options.outDir, 'index.mjs'),
    metafile: result.metafile,
    externalImports: [...new Set(externalImports)],
  };
}

/** The bytes of a bundle's JavaScript: its entry module and chunks (not the source maps, not native packages). */
export async function javaScriptBytes(outDir: string): Promise<number> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  const modules = entries.filter(
    (entry) => entry.isFile() && entry.name.endsWith('.mjs') && !entry.parentPath.includes('node_modules'),
  );
  const sizes = await Promise.all(modules.map(async (entry) => (await stat(join(entry.parentPath, entry.name))).size));
  return sizes.reduce((total, size) => total + size, 0);
}

/** esbuild's options for a handler's bundle (without the output folder), shared with the checks of its import graph. */
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
    splitting: true,
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
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
