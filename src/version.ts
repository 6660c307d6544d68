// The package version, read once from package.json.
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from './package-root.js';

const packageJson = JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string };

export const VERSION: string = packageJson.version;
