// Finding a record by asset name (and --page when the name is on several pages), with clear errors:
// an unknown name says the closest one, an ambiguous one lists its pages.
import { closestMatch } from '../closest-match.js';
import type { AssetRecord } from '../state/types.js';
import { UserError } from '../user-error.js';

export function findRecord(records: AssetRecord[], name: string, page: string | undefined): AssetRecord {
  const named = records.filter((r) => r.name === name);
  const onPage = page === undefined ? named : named.filter((r) => r.page === page || r.pageId === page);
  if (onPage.length === 1) return onPage[0];
  if (onPage.length > 1) {
    throw new UserError(`"${name}" is in the state on ${onPage.length} pages (${onPage.map((r) => r.page).join(', ')})`, { hint: `say which with --page ${onPage[0].page}` });
  }
  if (named.length > 0 && page !== undefined) {
    throw new UserError(`"${name}" is not in the state on page ${page}; it is on ${named.map((r) => r.page).join(', ')}`, { hint: `use --page ${named[0].page}` });
  }
  const suggestion = closestMatch(name, [...new Set(records.map((r) => r.name))]);
  throw new UserError(`no asset "${name}" in the state${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, { hint: '`attachform state list` shows every record' });
}

export function pageOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UserError('--page needs a page key or id, like --page main');
  return value;
}
