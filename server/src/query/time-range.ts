import { BadRequestException } from '@nestjs/common';

/** Parses ?from=&to= (ISO-8601 or microseconds since the epoch) into microseconds. */
export function parseRangeUs(from: string | undefined, to: string | undefined, defaultSpanUs: number): { fromUs: number; toUs: number } {
  const parse = (v: string, name: string): number => {
    if (/^\d+$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new BadRequestException(`${name}=${v} is neither ISO-8601 nor microseconds since the epoch`);
    return ms * 1000;
  };
  const toUs = to ? parse(to, 'to') : Date.now() * 1000;
  const fromUs = from ? parse(from, 'from') : toUs - defaultSpanUs;
  if (fromUs >= toUs) throw new BadRequestException('from must be before to');
  return { fromUs, toUs };
}
