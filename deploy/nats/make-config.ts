// Writes deploy/nats/nats.conf: nats-server with JetStream and one NATS user per device, each
// allowed to publish only on its own three subjects. Pure (the CLI at the bottom only prints),
// so tests check that the committed file is exactly what this produces.
//
//   node -r @swc-node/register deploy/nats/make-config.ts hs-1 pump-1 > deploy/nats/nats.conf
//   node -r @swc-node/register deploy/nats/make-config.ts --partitions 4 hs-1 pump-1 > nats.conf
//
// Passwords are never in the file: each is a nats-server variable ($NAME), which nats-server
// resolves from the environment at start-up (and refuses to start when one is missing).

import { DEVICE_ID_PATTERN, INGEST_KINDS, partitionMappings, partitionOf, SUBJECT_ROOT } from '@bci/shared';

export interface NatsConfigOptions {
  /** Device ids, one NATS user each (user name = device id). */
  devices: readonly string[];
  /** Add the read-only `integrator` user (default true). */
  integrator?: boolean;
  /**
   * Split devices into this many partitions (default 1: no mapping): nats-server rewrites
   * bci.<kind>.<id> to bci.<kind>.<partition>.<id>, and servers started with the same
   * BCI_PARTITIONS each consume the partitions they own (BCI_PARTITIONS_OWNED).
   */
  partitions?: number;
}

/** Environment variable holding a device's password: hs-1 → DEVICE_HS_1_PASSWORD. */
export function devicePasswordVar(deviceId: string): string {
  return `DEVICE_${deviceId.toUpperCase().replace(/-/g, '_')}_PASSWORD`;
}

/** The inbox prefix a device must use (nats.js `inboxPrefix`) so that it receives its PubAcks. */
export function deviceInboxPrefix(deviceId: string): string {
  return `_INBOX_${deviceId}`;
}

export const SERVER_PASSWORD_VAR = 'NATS_SERVER_PASSWORD';
export const INTEGRATOR_PASSWORD_VAR = 'NATS_INTEGRATOR_PASSWORD';

/**
 * Subjects a device may publish on: exactly bci.<eeg|markers|sensor>.<its id>, and with
 * partitions also the mapped bci.<kind>.<its partition>.<its id> (nats-server 2.9 checks publish
 * permissions on the subject after mapping).
 */
export function devicePublishSubjects(deviceId: string, partitions = 1): string[] {
  const plain = INGEST_KINDS.map((k) => `${SUBJECT_ROOT}.${k}.${deviceId}`);
  if (partitions <= 1) return plain;
  const p = partitionOf(deviceId, partitions);
  return [...plain, ...INGEST_KINDS.map((k) => `${SUBJECT_ROOT}.${k}.${p}.${deviceId}`)];
}

function q(s: string): string {
  return JSON.stringify(s);
}

export function deviceUserBlock(deviceId: string, partitions = 1): string {
  if (!DEVICE_ID_PATTERN.test(deviceId)) throw new Error(`invalid device id ${q(deviceId)}: must match ${DEVICE_ID_PATTERN}`);
  const pub = devicePublishSubjects(deviceId, partitions).map(q).join(', ');
  return [
    `    {`,
    `      user: ${q(deviceId)}, password: $${devicePasswordVar(deviceId)}`,
    `      permissions: {`,
    `        publish: { allow: [${pub}] }`,
    `        subscribe: { allow: [${q(deviceInboxPrefix(deviceId) + '.>')}] }`,
    `      }`,
    `    }`,
  ].join('\n');
}

/** The `mappings` block that puts each device subject in its partition (none for 1 partition). */
export function partitionMappingsBlock(partitions: number): string[] {
  if (partitions <= 1) return [];
  return [
    `# Devices split into ${partitions} partitions by id (run the servers with BCI_PARTITIONS=${partitions}).`,
    `mappings {`,
    ...Object.entries(partitionMappings(partitions)).map(([from, to]) => `  ${q(from)}: ${q(to)}`),
    `}`,
    ``,
  ];
}

export function natsConfig(options: NatsConfigOptions): string {
  const partitions = options.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`partitions must be a positive integer, not ${partitions}`);
  const seen = new Map<string, string>();
  for (const id of options.devices) {
    const v = devicePasswordVar(id);
    const other = seen.get(v);
    if (other !== undefined) throw new Error(`devices ${q(other)} and ${q(id)} would share the password variable ${v}`);
    seen.set(v, id);
  }
  const users = [
    [
      `    # The BCI server: creates streams and consumers, reads everything, writes the DLQ and alerts.`,
      `    { user: "server", password: $${SERVER_PASSWORD_VAR}, permissions: { publish: ">", subscribe: ">" } }`,
    ].join('\n'),
  ];
  if (options.integrator ?? true) {
    users.push(
      [
        `    # Read-only consumer of results (core NATS subscriptions; no JetStream API, publishes nothing).`,
        `    {`,
        `      user: "integrator", password: $${INTEGRATOR_PASSWORD_VAR}`,
        `      permissions: {`,
        `        publish: { deny: [">"] }`,
        `        subscribe: { allow: ["bci.predictions.>", "bci.alerts.>"] }`,
        `      }`,
        `    }`,
      ].join('\n'),
    );
  }
  for (const id of options.devices)
    users.push(`    # Device ${id}: publishes only on its own subjects; receives only its own PubAcks.\n${deviceUserBlock(id, partitions)}`);
  return [
    `# nats-server configuration for BCI DataFlow — generated by deploy/nats/make-config.ts; edit the`,
    `# device list there (or copy a device block below) and see deploy/nats/README.md.`,
    `# Passwords are environment variables ($NAME); nats-server refuses to start if one is unset.`,
    ``,
    `port: 4222`,
    ``,
    `# JetStream on; the store directory is given on the command line (-sd /data in docker-compose.yml).`,
    `jetstream: enabled`,
    ``,
    ...partitionMappingsBlock(partitions),
    `authorization {`,
    `  users = [`,
    users.join('\n'),
    `  ]`,
    `}`,
    ``,
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--partitions');
  const partitions = at >= 0 ? Number(args.splice(at, 2)[1]) : 1;
  if (!args.length || !Number.isInteger(partitions) || partitions < 1) {
    process.stderr.write('usage: make-config.ts [--partitions N] <deviceId>... > deploy/nats/nats.conf\n');
    process.exit(2);
  }
  process.stdout.write(natsConfig({ devices: args, partitions }));
}
