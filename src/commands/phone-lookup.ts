// A customer looked up by mobile or phone number is found however the shop stored the number: the
// value as typed first, then its other written forms in the profile's region (E.164, without +,
// national digits, the national and international forms), before the command says "not found".
// Each try that misses is a 404, which changes nothing, so trying a write this way is safe.
import type { Lookup } from '../backends/types.js';
import type { AppContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { Phones } from '../util/phone.js';

export async function byAnyPhoneForm<T>(app: AppContext, lookup: Lookup, act: (lookup: Lookup) => Promise<T>): Promise<T> {
  if (lookup.by !== 'mobile' && lookup.by !== 'phone') return act(lookup);
  let first: NotFoundError;
  try {
    return await act(lookup);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    first = err;
  }
  const phones = await Phones.load(app.connection().region);
  const others = phones.variants(lookup.value).filter((form) => form !== lookup.value);
  for (const value of others) {
    try {
      return await act({ by: lookup.by, value });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  if (others.length === 0) throw first;
  throw new NotFoundError(`${first.message} (also tried ${others.map((v) => `'${v}'`).join(', ')})`, { status: first.status });
}
