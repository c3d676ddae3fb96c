// Option value parsers for commander: a bad value is a usage error (exit 2) before any request.
import { InvalidArgumentError } from 'commander';
import { isValidDate, isValidDateTime } from '../backends/schema.js';

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return Number(value);
}

export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of 0 or more');
  return Number(value);
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0)) throw new InvalidArgumentError('expected a number greater than 0');
  return n;
}

export function probability(value: string): number {
  const n = Number(value);
  if (!/^\d*(\.\d+)?$/.test(value.trim()) || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a probability between 0 and 1');
  return n;
}

export function date(value: string): string {
  if (!isValidDate(value)) throw new InvalidArgumentError('expected a date as yyyy-MM-dd');
  return value;
}

export function dateTime(value: string): string {
  if (!isValidDateTime(value)) throw new InvalidArgumentError('expected a date or date-time as yyyy-MM-dd[THH:mm]');
  return value;
}

export function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * For an option that names one thing (`suspend --code A`): given twice, it is a usage error rather
 * than the last one silently winning, which on a write would act on the wrong customer.
 */
export function once(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined && previous !== value) {
      throw new InvalidArgumentError(`given twice ('${previous}' and '${value}'); ${flag} names one customer`);
    }
    return value;
  };
}
