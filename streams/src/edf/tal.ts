// EDF+ Time-stamped Annotation Lists (TALs), EDF+ spec section 2.2.2:
//   +Onset[\x15Duration]\x14Text1\x14Text2\x14...\x14\x00
// An "EDF Annotations" signal's bytes in one record hold one or more TALs,
// zero-padded. The first TAL of a record's first annotation signal is the
// timekeeping TAL: its onset is the record start and its first text is empty.
import { EdfFormatError } from './types';

export interface Tal {
  onsetS: number;
  durationS: number | null;
  texts: string[];
}

const ONSET_RE = /^[+-]\d+(\.\d+)?$/;
const DURATION_RE = /^\d+(\.\d+)?$/;
const decoder = new TextDecoder('utf-8');

/** Parse all TALs in one record's annotation bytes. */
export function parseTals(bytes: Uint8Array, where: string): Tal[] {
  const tals: Tal[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes[pos] === 0) {
      pos++; // padding between/after TALs
      continue;
    }
    let end = pos;
    while (end < bytes.length && bytes[end] !== 0) end++;
    if (end === bytes.length) throw new EdfFormatError(`${where}: TAL is not terminated by a 0x00 byte`);
    tals.push(parseOneTal(bytes.subarray(pos, end), where));
    pos = end + 1;
  }
  return tals;
}

function parseOneTal(tal: Uint8Array, where: string): Tal {
  // The time stamp is ASCII up to the first 0x14; texts are UTF-8.
  const firstSep = tal.indexOf(0x14);
  if (firstSep < 0) throw new EdfFormatError(`${where}: TAL has no 0x14 separator after its onset`);
  const stamp = decoder.decode(tal.subarray(0, firstSep));
  const [onsetStr, durationStr, ...extra] = stamp.split('\x15');
  if (extra.length > 0 || onsetStr === undefined || !ONSET_RE.test(onsetStr)) {
    throw new EdfFormatError(`${where}: malformed TAL time stamp ${JSON.stringify(stamp)}`);
  }
  let durationS: number | null = null;
  if (durationStr !== undefined) {
    if (!DURATION_RE.test(durationStr)) {
      throw new EdfFormatError(`${where}: malformed TAL duration ${JSON.stringify(durationStr)}`);
    }
    durationS = Number(durationStr);
  }
  // Texts are 0x14-terminated; the last element after the final 0x14 is empty.
  const parts = decoder.decode(tal.subarray(firstSep + 1)).split('\x14');
  if (parts[parts.length - 1] !== '') {
    throw new EdfFormatError(`${where}: TAL text is not terminated by 0x14`);
  }
  parts.pop();
  return { onsetS: Number(onsetStr), durationS, texts: parts };
}
