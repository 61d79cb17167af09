// Both SQL branches must be valid PostgreSQL. CI has no TimescaleDB (it is not packaged for
// Debian), so the Timescale branch is checked here with PostgreSQL's own parser (libpg_query,
// compiled to wasm) and against the TimescaleDB calls we rely on; the plain branch also runs
// for real in the integration tests.
import { parse } from 'libpg-query';
import { planMigrations } from '@bci/db';

type Node = Record<string, unknown>;

/** Every FuncCall name in a parse tree, e.g. 'create_hypertable'. */
function functionNames(tree: unknown, out: string[] = []): string[] {
  if (Array.isArray(tree)) tree.forEach((t) => functionNames(t, out));
  else if (tree && typeof tree === 'object') {
    const n = tree as Node;
    if (n.FuncCall) {
      const names = ((n.FuncCall as Node).funcname as Node[]).map((p) => ((p.String as Node)?.sval as string) ?? '');
      out.push(names.join('.'));
    }
    Object.values(n).forEach((v) => functionNames(v, out));
  }
  return out;
}

// Functions of TimescaleDB 2.x that the Timescale branch may call, from its API reference.
const TIMESCALE_FUNCTIONS = new Set([
  'create_hypertable',
  'add_compression_policy',
  'add_continuous_aggregate_policy',
  'add_retention_policy',
  'remove_retention_policy',
  'time_bucket',
]);

describe.each(['plain', 'timescale'] as const)('%s migrations', (flavour) => {
  const migrations = planMigrations(flavour);

  it.each(migrations.map((m) => [m.file, m] as const))('%s parses as PostgreSQL', async (_file, m) => {
    const tree = await parse(m.sql);
    expect(tree.stmts?.length ?? 0).toBeGreaterThan(0);
  });

  it('calls only TimescaleDB functions in the Timescale branch, and none in the plain one', async () => {
    const pgBuiltins = new Set(['now', 'date_trunc', 'avg', 'min', 'max', 'count', 'make_interval']);
    for (const m of migrations) {
      const called = functionNames(await parse(m.sql)).filter((f) => !pgBuiltins.has(f));
      if (flavour === 'plain') expect({ file: m.file, called }).toEqual({ file: m.file, called: [] });
      else for (const f of called) expect({ file: m.file, f, known: TIMESCALE_FUNCTIONS.has(f) }).toEqual({ file: m.file, f, known: true });
    }
  });
});

it('the parser rejects what PostgreSQL would reject', async () => {
  await expect(parse('CREATE TABEL x (a int)')).rejects.toThrow(/syntax error/);
});
