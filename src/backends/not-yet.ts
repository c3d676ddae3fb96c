import { GeneralError } from '../errors.js';
import type { BackendContext } from './factory.js';
import type { CustomerBackend } from './types.js';

export function open(ctx: BackendContext): CustomerBackend {
  throw new GeneralError(`the ${ctx.conn.backend} backend is not available in this version of poscust yet`);
}
