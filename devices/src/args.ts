// Declarative command-line option parsing: each command lists its options with a type, so a
// typo (--chanels) is an error naming the known options instead of being silently ignored.

export type OptType = 'string' | 'number' | 'boolean' | 'list';

export interface OptSpec {
  type: OptType;
  help?: string;
}

export type OptSpecs = Record<string, OptSpec>;

export type OptValue = string | number | boolean | string[];

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag`. 'list' options may repeat and also
 * take several values up to the next `--option` (e.g. `--anomaly a b --anomaly c`).
 */
export function parseArgs(argv: readonly string[], specs: OptSpecs): { values: Record<string, OptValue>; positionals: string[] } {
  const values: Record<string, OptValue> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith('--') || tok === '--') {
      if (tok !== '--') positionals.push(tok);
      continue;
    }
    const eq = tok.indexOf('=');
    const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name} (known: ${Object.keys(specs).map((k) => '--' + k).join(' ')})`);
    const inline = eq < 0 ? undefined : tok.slice(eq + 1);
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
      i++;
      return v;
    };
    switch (spec.type) {
      case 'boolean': {
        if (inline === undefined) values[name] = true;
        else if (/^(true|1|yes)$/i.test(inline)) values[name] = true;
        else if (/^(false|0|no)$/i.test(inline)) values[name] = false;
        else throw new UsageError(`option --${name} is a flag; got ${JSON.stringify(inline)}`);
        break;
      }
      case 'number': {
        const raw = takeValue();
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`option --${name} needs a number, got ${JSON.stringify(raw)}`);
        values[name] = n;
        break;
      }
      case 'string':
        values[name] = takeValue();
        break;
      case 'list': {
        const list = (values[name] as string[] | undefined) ?? [];
        list.push(...takeValue().split(',').filter((s) => s !== ''));
        while (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('--')) list.push(...argv[++i].split(',').filter((s) => s !== ''));
        values[name] = list;
        break;
      }
    }
  }
  return { values, positionals };
}
