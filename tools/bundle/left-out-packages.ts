import type { Plugin } from 'esbuild';

/** A package that the functions never call although what they import loads it, and what would call it. */
export interface LeftOutPackage {
  /** What its importers import from it (`default` for a default import): the stub exports exactly these. */
  exports: readonly string[];
  /** The project code that would need the package; none may exist (function-boundaries.integration-spec.ts reads the sources). */
  usedThrough: RegExp;
  why: string;
}

/**
 * Left out of every Lambda bundle, for 380 KB less to parse and ≈ 25 ms less CPU at each API cold start
 * (bench/COLD-START.md). Each is loaded at start-up by a module that is imported whole, never called by ours.
 */
export const LEFT_OUT_PACKAGES: Record<string, LeftOutPackage> = {
  'libphonenumber-js': {
    exports: ['parsePhoneNumber'],
    usedThrough: /\b(IsPhoneNumber|isPhoneNumber)\b/,
    why: "class-validator's IsPhoneNumber (its metadata tables are 195 KB)",
  },
  multer: {
    exports: ['default'],
    usedThrough: /\b((File|Files|FileFields|AnyFiles|NoFiles)Interceptor|MulterModule)\b/,
    why: "@nestjs/platform-express's multipart interceptors: a photo arrives as a raw body (configure-app.ts)",
  },
};

/**
 * Resolves each left-out package (and its subpaths) to a stub whose exports throw when called, saying so: should a
 * change start using one, its first call fails loudly instead of misbehaving, and a new import name fails the build
 * (esbuild: no matching export).
 */
export const leftOutPackagesPlugin: Plugin = {
  name: 'left-out-packages',
  setup(pluginBuild) {
    const names = Object.keys(LEFT_OUT_PACKAGES).map((name) => name.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    pluginBuild.onResolve({ filter: new RegExp(`^(${names.join('|')})(/.*)?$`) }, (args) => ({
      path: args.path,
      namespace: 'left-out',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      const name = Object.keys(LEFT_OUT_PACKAGES).find(
        (packageName) => args.path === packageName || args.path.startsWith(`${packageName}/`),
      )!;
      const message = JSON.stringify(
        `${args.path} is left out of the Lambda bundles (tools/bundle/left-out-packages.ts)`,
      );
      const exports = LEFT_OUT_PACKAGES[name]!.exports.map((exported) =>
        exported === 'default' ? 'export default leftOut;' : `export const ${exported} = leftOut;`,
      );
      return { contents: [`function leftOut() { throw new Error(${message}); }`, ...exports].join('\n'), loader: 'js' };
    });
  },
};
