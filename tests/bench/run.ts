// `npm run bench -- NAME [args]`: runs tests/bench/NAME.ts, whose last stdout line is one JSON object.
import * as fs from 'node:fs';
import * as path from 'node:path';

const name = process.argv[2];
const available = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
  process.exit(2);
}
process.argv.splice(2, 1);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require(path.join(__dirname, name)) as { main: (argv: string[]) => Promise<void> };
bench.main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
