// bci-device: simulated and replayed devices publishing to the BCI DataFlow JetStream.
// Usage errors and failures are one clear line on stderr (exit 2 / 1); Ctrl-C stops cleanly
// after the message in flight, a second Ctrl-C exits at once.
import { existsSync } from 'node:fs';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { UsageError } from './args';
import { parseCommandLine, type ParsedCommand } from './commands';
import { runSyntheticEeg } from './run-eeg';
import { runSyntheticSensor } from './run-sensor';
import { replayEdf } from './replay-edf';
import { loadCsvSeries, replayCsv } from './replay-csv';
import type { RunHooks, RunStats } from './runtime';

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function run(cmd: Exclude<ParsedCommand, { command: 'help' }>, nc: NatsConnection, signal: AbortSignal): Promise<RunStats> {
  const js = jetstream(nc);
  // A device user of deploy/nats/nats.conf may not call the JetStream API, so do not wait for the
  // streams: the publisher retries until the broker acknowledges.
  const hooks: RunHooks = { log, statusEveryMs: cmd.statusEveryMs, ...(process.env.NATS_USER ? { waitForStreams: false } : {}) };
  switch (cmd.command) {
    case 'eeg':
      return runSyntheticEeg(js, cmd.options, signal, hooks);
    case 'sensor':
      return runSyntheticSensor(js, cmd.options, signal, hooks);
    case 'replay-edf':
      return replayEdf(js, cmd.options, signal, hooks);
    case 'replay-csv':
      return replayCsv(js, cmd.options, signal, hooks);
  }
}

async function main(): Promise<number> {
  let cmd: ParsedCommand;
  try {
    cmd = parseCommandLine(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`bci-device: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (cmd.command === 'help') {
    process.stdout.write(cmd.text + '\n');
    return 0;
  }
  // Fail on a bad input file before touching the network.
  if (cmd.command === 'replay-edf' || cmd.command === 'replay-csv') {
    const file = cmd.options.file!;
    if (!existsSync(file)) {
      process.stderr.write(`bci-device: cannot read --file ${file}: no such file\n`);
      return 2;
    }
  }
  if (cmd.command === 'replay-csv') {
    const s = loadCsvSeries(cmd.options);
    log(`${cmd.options.file}: ${s.points.length} rows, time column ${s.timeCol}, metrics ${s.metricColumns.map((m) => m.metric).join(', ')}${s.skipped ? `; skipped ${s.skipped} rows (${s.problems[0]})` : ''}`);
  }

  const ac = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    log('stopping… (Ctrl-C again to quit at once)');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // NATS_USER / NATS_PASSWORD: the device's user in deploy/nats/nats.conf (user = device id). Its
  // PubAcks arrive on its private inbox prefix, the only subject it may subscribe to.
  const user = process.env.NATS_USER || undefined;
  const auth = user ? { user, pass: process.env.NATS_PASSWORD, inboxPrefix: `_INBOX_${user}` } : {};
  if (user && user !== cmd.options.id) log(`warning: NATS user ${user} may publish only as device ${user}, not ${cmd.options.id}`);
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: cmd.natsUrl, ...auth, name: `bci-device ${cmd.command} ${cmd.options.id}`, maxReconnectAttempts: -1 });
  } catch (err) {
    process.stderr.write(`bci-device: cannot connect to NATS at ${cmd.natsUrl}: ${message(err)}\n`);
    return 1;
  }
  log(`connected to ${cmd.natsUrl}; ${cmd.command} as ${cmd.options.id}`);
  try {
    const stats = await run(cmd, nc, ac.signal);
    log(`done: ${stats.chunks} chunks, ${stats.markers} markers, ${stats.readings} readings in ${(stats.elapsedMs / 1000).toFixed(1)} s${stats.aborted ? ' (stopped)' : ''}`);
    return 0;
  } finally {
    await nc.drain().catch(() => nc.close());
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bci-device: ${message(err)}\n`);
    process.exit(1);
  },
);
