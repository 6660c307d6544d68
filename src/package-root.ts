// The package's own folder (package.json, schema/), found from this module's URL. The module sits two
// folders below it both as compiled (dist/src/package-root.js) and as bundled into the CLI
// (dist/bundle/*.js, see scripts/bundle.js), so the one relative URL is right in either place.
export const PACKAGE_ROOT = new URL('../../', import.meta.url);
