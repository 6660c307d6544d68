// The SQLite backend passes the shared conformance suite, each test on its own temp file.
import { runStateConformance } from './conformance.js';
import { makeTempDir } from '../helpers/temp-dir.js';

runStateConformance('sqlite', async (t) => ({ url: 'sqlite://.attachform/state.sqlite', baseDir: makeTempDir(t) }));
