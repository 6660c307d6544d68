// The bad manifests of issue 4, each with the exact lines `attachform validate` must print for it.
// `yaml` and `expect` may depend on the project's folders (absolute paths appear in some messages).
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD, type Project } from './helpers.js';

export interface BadCase {
  name: string;
  yaml: string | ((p: Project) => string);
  files?: Record<string, string>;
  setup?: (p: Project) => void;
  expect: string[] | ((p: Project) => string[]);
}

const TWO_PAGES = 'version: 1\npages:\n  main: {id: "1", token_env: MAIN_TOKEN}\n  support: {id: "2", token_env: SUPPORT_TOKEN}\n';

export const badCases: BadCase[] = [
  {
    name: 'a YAML syntax error, at the yaml library\'s position',
    yaml: 'version: 1\npages: [main, support\nassets: {}\n',
    expect: [
      'assets.yaml:3:1: error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (check the indentation of this line and the one above)',
    ],
  },
  {
    name: 'an unclosed quote',
    yaml: `${HEAD}  welcome: {path: "media/welcome.png}\n`,
    expect: [
      'assets.yaml:6:1: error: YAML syntax error: Missing closing "quote (close the quote or bracket that was opened)',
    ],
  },
  {
    name: 'a duplicate key',
    yaml: `${HEAD}  welcome: {path: a.png}\n  welcome: {path: b.png}\n`,
    files: { 'a.png': 'a', 'b.png': 'b' },
    expect: [
      'assets.yaml:6:3: error: duplicate key: each key may appear only once in a mapping (remove or rename one of them)',
    ],
  },
  {
    name: 'a tab in the indentation',
    yaml: `${HEAD}  welcome:\n\tpath: a.png\n`,
    expect: [
      'assets.yaml:6:1: error: tab used for indentation: YAML indents with spaces only (replace the tab with spaces)',
    ],
  },
  { name: 'an empty file', yaml: '', expect: [
      'assets.yaml: error: the manifest is empty (start with `version: 1`, then `pages:` and `assets:`)',
    ] },
  { name: 'a file of comments only', yaml: '# nothing yet\n\n', expect: [
      'assets.yaml: error: the manifest has no content (only comments) (start with `version: 1`, then `pages:` and `assets:`)',
    ] },
  { name: 'a list instead of a mapping', yaml: '- version: 1\n- pages: {}\n', expect: [
      'assets.yaml:1:1: error: the manifest must be a mapping of keys (version, pages, assets…), not a list',
    ] },
  { name: 'a plain string instead of a mapping', yaml: 'just some words\n', expect: [
      'assets.yaml:1:1: error: the manifest must be a mapping of keys (version, pages, assets…), not a string',
    ] },
  {
    name: 'an unknown top-level key, with did-you-mean',
    yaml: `${HEAD}  welcome: {path: a.png}\noutput: {typescript: gen/a.ts}\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:6:1: error: output: unknown key "output" (did you mean "outputs"?)',
    ],
  },
  {
    name: 'an unknown key in a page, with did-you-mean',
    yaml: 'version: 1\npages:\n  main:\n    id: "1"\n    token_env: MAIN_TOKEN\n    tokenenv: abc\nassets: {}\n',
    expect: [
      'assets.yaml:6:5: error: pages.main.tokenenv: unknown key "tokenenv" (did you mean "token_env"?)',
    ],
  },
  {
    name: 'an unknown key in an asset, with did-you-mean (and then no source)',
    yaml: `${HEAD}  welcome:\n    pth: a.png\n`,
    expect: [
      'assets.yaml:6:5: error: assets.welcome.pth: unknown key "pth" (did you mean "path"?)',
    ],
  },
  {
    name: 'an unknown key in defaults, with did-you-mean',
    yaml: `${HEAD}  welcome: {path: a.png}\ndefaults:\n  refresh_befor: 7d\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:7:3: error: defaults.refresh_befor: unknown key "refresh_befor" (did you mean "refresh_before"?)',
    ],
  },
  {
    name: 'a page id written as a number',
    yaml: 'version: 1\npages:\n  main: {id: 1234567890, token_env: MAIN_TOKEN}\nassets: {}\n',
    expect: [
      'assets.yaml:3:14: error: pages.main.id: must be a string, not a number (put it in quotes: "1234567890")',
    ],
  },
  {
    name: 'a wrong type: state as a number, assets as a list',
    yaml: 'version: 1\nstate: 5\npages:\n  main: {id: "1", token_env: T}\nassets:\n  - a.png\n',
    expect: [
      'assets.yaml:2:8: error: state: must be a string, not a number (put it in quotes: "5")',
      'assets.yaml:6:3: error: assets: must be a mapping, not a list',
    ],
  },
  { name: 'version 2', yaml: 'version: 2\npages:\n  main: {id: "1", token_env: T}\nassets: {}\n', expect: [
      'assets.yaml:1:10: error: version: must be 1, not 2 (version 1 is the only manifest format there is)',
    ] },
  { name: 'version "1" as a string', yaml: 'version: "1"\npages:\n  main: {id: "1", token_env: T}\nassets: {}\n', expect: [
      'assets.yaml:1:10: error: version: must be 1, not "1" (version 1 is the only manifest format there is)',
    ] },
  { name: 'a missing version', yaml: 'pages:\n  main: {id: "1", token_env: T}\nassets: {}\n', expect: [
      'assets.yaml:1:1: error: missing required key "version" (add `version: 1` at the top)',
    ] },
  { name: 'a page id that is not digits', yaml: 'version: 1\npages:\n  main: {id: "12a4", token_env: T}\nassets: {}\n', expect: [
      'assets.yaml:3:14: error: pages.main.id: must be a Page id: digits only, not "12a4"',
    ] },
  { name: 'a page name that breaks the pattern', yaml: 'version: 1\npages:\n  Main: {id: "1", token_env: T}\nassets: {}\n', expect: [
      'assets.yaml:3:3: error: pages.Main: invalid name "Main": expected a page name: lowercase letters, digits and _, starting with a letter',
    ] },
  { name: 'no pages at all', yaml: 'version: 1\npages: {}\nassets: {}\n', expect: [
      'assets.yaml:2:8: error: pages: needs at least one page',
    ] },
  { name: 'a token_env that is not a variable name', yaml: 'version: 1\npages:\n  main: {id: "1", token_env: "EAAB xyz"}\nassets: {}\n', expect: [
      'assets.yaml:3:30: error: pages.main.token_env: must be an environment variable name like MAIN_PAGE_TOKEN (the token itself goes in that environment variable, never in the manifest)',
    ] },
  { name: 'an asset with none of path, url, glob', yaml: `${HEAD}  welcome:\n    type: image\n`, expect: [
      'assets.yaml:5:3: error: assets.welcome: needs exactly one of path, url or glob (has none)',
    ] },
  {
    name: 'an asset with both path and glob',
    yaml: `${HEAD}  welcome:\n    path: a.png\n    glob: "*.png"\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:7:5: error: assets.welcome.glob: needs exactly one of path, url or glob (has path and glob) (split it into separate assets, one per source)',
    ],
  },
  { name: 'an asset name that breaks the pattern', yaml: `${HEAD}  2fast: {path: a.png}\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:5:3: error: assets["2fast"]: invalid name "2fast": expected an asset name: letters, digits and _, not starting with a digit',
    ] },
  { name: 'an unknown page in page:', yaml: `${HEAD}  welcome: {path: a.png, page: mian}\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:5:32: error: assets.welcome.page: unknown page "mian" (did you mean "main"? the pages are main)',
    ] },
  {
    name: 'an unknown page in pages:',
    yaml: `${TWO_PAGES}assets:\n  welcome:\n    path: a.png\n    pages: [main, suport]\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:8:19: error: assets.welcome.pages[1]: unknown page "suport" (did you mean "support"? the pages are main, support)',
    ],
  },
  {
    name: 'an unknown page in defaults.page',
    yaml: `${TWO_PAGES}defaults:\n  page: sales\nassets:\n  welcome: {path: a.png, page: main}\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:6:9: error: defaults.page: unknown page "sales" (the pages are main, support)',
    ],
  },
  {
    name: 'several pages and no page given',
    yaml: `${TWO_PAGES}assets:\n  welcome: {path: a.png}\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:6:3: error: assets.welcome: has no page, and the manifest has several (main, support) (add `page: NAME` to the asset, or `defaults.page`)',
    ],
  },
  {
    name: 'page and pages together',
    yaml: `${TWO_PAGES}assets:\n  welcome: {path: a.png, page: main, pages: [support]}\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:6:38: error: assets.welcome.pages: has both "page" and "pages" (use one: page: NAME, or pages: [A, B])',
    ],
  },
  { name: 'a bad duration', yaml: `${HEAD}  welcome: {path: a.png}\ndefaults:\n  refresh_before: 2w\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:7:19: error: defaults.refresh_before: must be a duration like 14d (units s, m, h, d), not "2w"',
    ] },
  {
    name: 'refresh_before not shorter than ttl',
    yaml: `${HEAD}  welcome: {path: a.png}\ndefaults:\n  refresh_before: 30d\n  ttl: 720h\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:7:19: error: defaults.refresh_before: must be shorter than ttl (720h) (else every plan would refresh every asset)',
    ],
  },
  { name: 'an unknown type, with did-you-mean', yaml: `${HEAD}  welcome: {path: a.png, type: imag}\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:5:32: error: assets.welcome.type: must be one of image, audio, video, file (did you mean "image"?)',
    ] },
  { name: 'type: image on an .mp3', yaml: `${HEAD}  jingle:\n    path: jingle.mp3\n    type: image\n`, files: { 'jingle.mp3': 'a' }, expect: [
      'assets.yaml:7:11: error: assets.jingle.type: type: image contradicts the extension .mp3 (audio/mpeg) (use type: audio, or type: file to send it as a plain file)',
    ] },
  {
    name: 'type: audio without an audio/* content type',
    yaml: `${HEAD}  jingle:\n    path: jingle.bin\n    type: audio\n`,
    files: { 'jingle.bin': 'a' },
    expect: [
      'assets.yaml:7:11: error: assets.jingle.type: type: audio needs an audio/* content type, and the extension .bin gives none (add content_type: audio/…)',
    ],
  },
  {
    name: 'content_type contradicting type',
    yaml: `${HEAD}  jingle:\n    path: jingle.mp3\n    type: audio\n    content_type: image/png\n`,
    files: { 'jingle.mp3': 'a' },
    expect: [
      'assets.yaml:8:19: error: assets.jingle.content_type: content_type "image/png" contradicts type: audio (needs audio/*) (use an audio/* content type, or type: file)',
    ],
  },
  {
    name: 'content_type contradicting the extension',
    yaml: `${HEAD}  welcome:\n    path: a.png\n    content_type: video/mp4\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:7:19: error: assets.welcome.content_type: content_type "video/mp4" contradicts the extension .png, which makes it image (set `type:` to what the file really is, or type: file)',
    ],
  },
  { name: 'via on a path asset', yaml: `${HEAD}  welcome:\n    path: a.png\n    via: url\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:7:5: error: assets.welcome.via: "via" is only for url assets (a local file is always uploaded as a file)',
    ] },
  { name: 'name on a non-glob asset', yaml: `${HEAD}  welcome:\n    path: a.png\n    name: hello\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:7:5: error: assets.welcome.name: "name" is only for glob assets (a path or url asset is named by its key)',
    ] },
  { name: 'an unknown placeholder in a name template', yaml: `${HEAD}  sticker:\n    glob: "*.png"\n    name: "s_{file}"\n`, files: { 'a.png': 'a' }, expect: [
      'assets.yaml:7:11: error: assets.sticker.name: unknown placeholder {file} (use {stem}, {ext} or {dir})',
    ] },
  { name: 'a url asset without a type', yaml: `${HEAD}  jingle:\n    url: https://cdn.example.com/jingle.mp3\n`, expect: [
      'assets.yaml:5:3: error: assets.jingle: a url asset needs "type" (one of image, audio, video, file) (the type cannot be inferred from a URL)',
    ] },
  { name: 'a non-http(s) URL', yaml: `${HEAD}  jingle:\n    url: ftp://cdn.example.com/jingle.mp3\n    type: audio\n`, expect: [
      'assets.yaml:6:10: error: assets.jingle.url: must be an http(s) URL like https://cdn.example.com/a.png, not "ftp://cdn.example.com/jingle.mp3"',
    ] },
  { name: 'a URL at a link-local address', yaml: `${HEAD}  jingle:\n    url: http://169.254.169.254/latest/meta-data\n    type: file\n`, expect: [
      'assets.yaml:6:10: error: assets.jingle.url: points at a loopback, private or link-local address (169.254.169.254) (set `allow_private_urls: true` on the asset (or in defaults) if that is intended)',
    ] },
  { name: 'a URL carrying a password', yaml: `${HEAD}  jingle:\n    url: https://bot:hunter2@cdn.example.com/j.mp3\n    type: audio\n`, expect: [
      'assets.yaml:6:10: error: assets.jingle.url: must not carry a user name or password (secrets never go in the manifest)',
    ] },
  { name: 'a missing file', yaml: `${HEAD}  welcome:\n    path: media/welcom.png\n`, files: { 'media/welcome.png': 'a' }, expect: [
      'assets.yaml:6:11: error: assets.welcome.path: no such file: media/welcom.png (check the spelling and that the file is committed)',
    ] },
  { name: 'a folder instead of a file', yaml: `${HEAD}  welcome:\n    path: media\n`, files: { 'media/welcome.png': 'a' }, expect: [
      'assets.yaml:6:11: error: assets.welcome.path: media is a folder, not a file (use glob: to take the files inside it)',
    ] },
  { name: 'an empty file', yaml: `${HEAD}  welcome:\n    path: empty.png\n`, files: { 'empty.png': '' }, expect: [
      'assets.yaml:6:11: error: assets.welcome.path: empty.png is empty (an attachment needs some bytes)',
    ] },
  {
    name: 'a file over 25 MB (sparse)',
    yaml: `${HEAD}  promo:\n    path: big.mp4\n`,
    setup: (p) => {
      writeFileSync(join(p.dir, 'big.mp4'), '');
      truncateSync(join(p.dir, 'big.mp4'), 25 * 1024 * 1024 + 1);
    },
    expect: [
      'assets.yaml:6:11: error: assets.promo.path: big.mp4 is 26214401 bytes, over the 25 MB (26214400 bytes) limit for attachments',
    ],
  },
  { name: 'a glob that matches nothing', yaml: `${HEAD}  sticker:\n    glob: media/*.webp\n`, files: { 'media/a.png': 'a' }, expect: [
      'assets.yaml:6:11: error: assets.sticker.glob: media/*.webp matches no files (check the pattern and that the files are committed)',
    ] },
  {
    name: 'names that collide after glob expansion',
    yaml: `${HEAD}  sticker:\n    glob: media/*.png\n`,
    files: { 'media/a-b.png': 'a', 'media/a_b.png': 'b', 'media/c.png': 'c' },
    expect: [
      'assets.yaml:6:11: error: assets.sticker.glob: two assets are named "sticker_a_b" on page main: media/a-b.png (assets.sticker) and media/a_b.png (assets.sticker) (give the glob a `name:` template that tells them apart, like "{dir}_{stem}")',
    ],
  },
  {
    name: 'a glob name equal to another asset on the same page',
    yaml: `${HEAD}  sticker:\n    glob: media/*.png\n  sticker_a:\n    path: a.png\n`,
    files: { 'media/a.png': 'a', 'a.png': 'x' },
    expect: [
      'assets.yaml:7:3: error: assets.sticker_a: two assets are named "sticker_a" on page main: media/a.png (assets.sticker) and a.png (assets.sticker_a) (rename one of them)',
    ],
  },
  { name: 'a path escaping with ../', yaml: `${HEAD}  welcome:\n    path: ../outside.png\n`, files: { '../outside.png': 'a' }, expect: (p) => [
      `assets.yaml:6:11: error: assets.welcome.path: ${p.base}/outside.png is outside the manifest's folder (keep media inside the folder of the manifest, or set \`allow_outside: true\` on the asset)`,
    ] },
  {
    name: 'an absolute path',
    yaml: (p) => `${HEAD}  welcome:\n    path: ${join(p.base, 'outside.png')}\n`,
    files: { '../outside.png': 'a' },
    expect: (p) => [
      `assets.yaml:6:11: error: assets.welcome.path: ${p.base}/outside.png is outside the manifest's folder (keep media inside the folder of the manifest, or set \`allow_outside: true\` on the asset)`,
    ],
  },
  {
    name: 'a symlink pointing outside',
    yaml: `${HEAD}  welcome:\n    path: media/link.png\n`,
    files: { '../outside.png': 'a', 'media/keep.txt': 'k' },
    setup: (p) => symlinkSync(join(p.base, 'outside.png'), join(p.dir, 'media', 'link.png')),
    expect: (p) => [
      `assets.yaml:6:11: error: assets.welcome.path: media/link.png is a symlink to ${p.base}/outside.png, outside the manifest's folder (keep media inside the folder of the manifest, or set \`allow_outside: true\` on the asset)`,
    ],
  },
  {
    name: 'a file in a symlinked folder pointing outside',
    yaml: `${HEAD}  welcome:\n    path: shared/a.png\n  inside:\n    path: media/b.png\n`,
    files: { '../elsewhere/a.png': 'a', 'media/b.png': 'b' },
    setup: (p) => symlinkSync(join(p.base, 'elsewhere'), join(p.dir, 'shared')),
    expect: (p) => [
      `assets.yaml:6:11: error: assets.welcome.path: shared/a.png is a symlink to ${p.base}/elsewhere/a.png, outside the manifest's folder (keep media inside the folder of the manifest, or set \`allow_outside: true\` on the asset)`,
    ],
  },
  { name: 'a glob reaching outside', yaml: `${HEAD}  sticker:\n    glob: ../*.png\n`, files: { '../outside.png': 'a' }, expect: [
      'assets.yaml:6:11: error: assets.sticker.glob: ../*.png reaches outside the manifest\'s folder (keep media inside the folder of the manifest, or set `allow_outside: true` on the asset)',
    ] },
  {
    name: 'outputs escaping the folder',
    yaml: `${HEAD}  welcome: {path: a.png}\noutputs:\n  typescript: ../src/attachments.ts\n  json: /tmp/attachments.json\n`,
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:7:15: error: outputs.typescript: must stay inside the manifest\'s folder, not "../src/attachments.ts" (give a path relative to the manifest, like generated/attachments.ts)',
      'assets.yaml:8:9: error: outputs.json: must stay inside the manifest\'s folder, not "/tmp/attachments.json" (give a path relative to the manifest, like generated/attachments.ts)',
    ],
  },
  {
    name: 'three different errors, all reported',
    yaml: 'version: 1\npages:\n  main: {id: "x1", token_env: T}\nassets:\n  welcome: {path: a.png, type: imag}\ndefaults: {ttl: 90days}\n',
    files: { 'a.png': 'a' },
    expect: [
      'assets.yaml:3:14: error: pages.main.id: must be a Page id: digits only, not "x1"',
      'assets.yaml:5:32: error: assets.welcome.type: must be one of image, audio, video, file (did you mean "image"?)',
      'assets.yaml:6:17: error: defaults.ttl: must be a duration like 14d (units s, m, h, d), not "90days"',
    ],
  },
];
