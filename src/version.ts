declare const __POSCUST_VERSION__: string | undefined;

/** Injected at build time from package.json (scripts/build.mjs, vitest.config.ts). */
export const VERSION: string = typeof __POSCUST_VERSION__ === 'string' ? __POSCUST_VERSION__ : '0.0.0-dev';
