import { accept, refuse, type Decoded } from '../faults';

/** Parses UTF-8 JSON that must be an object; names `what` in the refusal. */
export function parseJsonObject(bytes: Uint8Array, what: string): Decoded<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return refuse('decode', `invalid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('schema', `${what} must be a JSON object`);
  return accept(raw as Record<string, unknown>);
}
