// Operators define derived metrics and alert conditions as expressions through REST; the server
// stages the derived metric like a base metric (own baseline, stored in sensor_stages) and runs
// each condition as its own alert (opens at its stage while true, clears after the configured
// normal readings). Bad expressions are 400s with the expression error's code; evaluation
// problems (missing metric, division by zero) are counted, never fatal; rule changes apply to
// the next reading; rules survive a restart; only operators and admins may touch them.
import { DevicePublisher, type AuditEntry, type SensorReading } from '@bci/shared';
import { startServer } from '../support/server-process';
import { startServerStack, type ServerStack } from '../support/server-stack';
import { waitFor } from '../support/wait';
import { authedFetch, createUser, loginAdmin, type AuthedFetch, type TestUser } from '../support/auth';

const DEVICE = 'pump-rules';
const OTHER = 'pump-other';
const MINUTE = 60_000;
// Recent, so a restart replays these readings into the baselines.
const START_MS = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * 24 * 60 * MINUTE;
const ENV = { BCI_ALERT_MIN_OPEN_STAGE: '2', BCI_ALERT_CLEAR_AFTER_NORMAL: '5', BCI_STAGER_MIN_POINTS: '30' };

/** pressure ≈ 3 and flow ≈ 250 with a ripple; in [dryFrom, dryTo) the pump runs dry: pressure 1.5, flow 350. */
function reading(deviceId: string, m: number, dry: (m: number) => boolean, extra: Record<string, number> = {}): SensorReading {
  const ripple = Math.sin(m * 0.7);
  const isDry = dry(m);
  return {
    deviceId,
    time: new Date(START_MS + m * MINUTE).toISOString(),
    metrics: { pressure: isDry ? 1.5 : 3 + 0.05 * ripple, flow_rate: isDry ? 350 : 250 + 2 * ripple, ...extra },
  };
}

describe('alert rules (derived metrics and conditions)', () => {
  let stack: ServerStack;
  let pub: DevicePublisher;
  let admin: AuthedFetch;
  let operator: TestUser;
  let clinician: TestUser;

  const count = async (sql: string, params: unknown[] = []) => Number((await stack.pg.query(sql, params)).rows[0].count);
  const publish = async (rs: SensorReading[]) => {
    for (let i = 0; i < rs.length; i += 200) await Promise.all(rs.slice(i, i + 200).map((r) => pub.publishReading(r)));
  };

  beforeAll(async () => {
    stack = await startServerStack(ENV);
    pub = new DevicePublisher(stack.js);
    const adminToken = (await loginAdmin(stack.server.url)).accessToken;
    admin = authedFetch(stack.server.url, adminToken);
    operator = await createUser(stack.server.url, 'operator', [], { adminToken });
    clinician = await createUser(stack.server.url, 'clinician', [DEVICE], { adminToken });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = (path: string, body: unknown, as: AuthedFetch = operator.fetch) => as(path, { body });

  it('refuses bad expressions and requests with 400 and the error code; checks expressions before saving', async () => {
    const bad = async (body: Record<string, unknown>, code: string) => {
      const res = await post('/api/alert-rules', { name: 'bad_rule', kind: 'derived', ...body });
      const json = await res.json();
      expect([body, res.status, json.statusCode, json.code]).toEqual([body, 400, 400, code]);
      expect(typeof json.message).toBe('string');
    };
    await bad({ expression: 'pressure = 3' }, 'forbidden');
    await bad({ expression: 'f(x) = x' }, 'forbidden');
    await bad({ expression: 'import({"x": 1}, {})' }, 'forbidden');
    await bad({ expression: 'evaluate("1 + 1")' }, 'forbidden');
    await bad({ expression: 'pressure.constructor' }, 'forbidden');
    await bad({ expression: 'pressure +* 2' }, 'syntax');
    await bad({ expression: '(pressure / flow_rate' }, 'syntax');
    await bad({ expression: 'pressure < 2' }, 'type'); // a comparison is a condition, not a metric
    await bad({ kind: 'condition', expression: 'pressure * 2', stage: 3 }, 'type');
    await bad({ name: 'sqrt', expression: 'pressure' }, 'invalid_name');
    await bad({ kind: 'condition', expression: 'pressure < 2' }, 'invalid_request'); // no stage
    await bad({ kind: 'condition', expression: 'pressure < 2', stage: 5 }, 'invalid_request');
    await bad({ kind: 'nonsense', expression: 'pressure' }, 'invalid_request');
    expect(((await (await admin('/api/alert-rules')).json()) as unknown[]).length).toBe(0);

    // Check before saving: compile, type and optionally evaluate on a sample.
    const check = async (body: unknown) => {
      const res = await post('/api/alert-rules/check', body);
      return { status: res.status, body: await res.json() };
    };
    expect(await check({ expression: 'pressure / flow_rate', metrics: { pressure: 2, flow_rate: 4 } })).toEqual({
      status: 200,
      body: {
        ok: true,
        expression: 'pressure / flow_rate',
        type: 'number',
        metrics: ['flow_rate', 'pressure'],
        value: 0.5,
        scope: { pressure: 2, flow_rate: 4 },
      },
    });
    expect(
      await check({ kind: 'condition', expression: 'pressure < 2 and flow_rate > 300', metrics: { pressure: 1, flow_rate: 400 } }),
    ).toMatchObject({ status: 200, body: { type: 'boolean', value: true } });
    expect(await check({ expression: 'unknown_metric_xyz + 1' })).toMatchObject({
      status: 200,
      body: { ok: true, metrics: ['unknown_metric_xyz'] },
    });
    expect(await check({ expression: 'unknown_metric_xyz + 1', metrics: { pressure: 1 } })).toMatchObject({
      status: 400,
      body: { code: 'missing_metric' },
    });
    expect(await check({ expression: 'pressure / flow_rate', metrics: { pressure: 1, flow_rate: 0 } })).toMatchObject({
      status: 400,
      body: { code: 'non_finite' },
    });
    expect(await check({ expression: 'pressure = 3' })).toMatchObject({ status: 400, body: { statusCode: 400, code: 'forbidden' } });
    expect(await check({ expression: 'f(x) = x' })).toMatchObject({ status: 400, body: { code: 'forbidden' } });
    expect(await check({ expression: '3 +' })).toMatchObject({ status: 400, body: { code: 'syntax' } });
    expect(await check({ kind: 'derived', expression: 'pressure > 1' })).toMatchObject({ status: 400, body: { code: 'type' } });
  });

  it('refuses roles other than operator and admin', async () => {
    expect((await clinician.fetch('/api/alert-rules')).status).toBe(403);
    expect((await post('/api/alert-rules', { name: 'x', kind: 'derived', expression: 'pressure' }, clinician.fetch)).status).toBe(403);
    expect((await post('/api/alert-rules/check', { expression: 'pressure' }, clinician.fetch)).status).toBe(403);
    expect((await clinician.fetch('/api/alert-rules/1', { method: 'DELETE' })).status).toBe(403);
    expect((await fetch(`${stack.server.url}/api/alert-rules`)).status).toBe(401);
    expect((await admin('/api/alert-rules')).status).toBe(200);
  });

  it('stages a derived metric, runs a condition as an alert, counts evaluation problems, applies changes at once and keeps rules across a restart', async () => {
    const created = async (body: Record<string, unknown>, as: AuthedFetch = operator.fetch) => {
      const res = await post('/api/alert-rules', body, as);
      expect([body, res.status]).toEqual([body, 201]);
      return (await res.json()) as {
        id: number;
        name: string;
        deviceId: string | null;
        stage: number | null;
        enabled: boolean;
        createdBy: string;
      };
    };
    const ratio = await created({ name: 'pressure_per_flow', kind: 'derived', expression: 'pressure / flow_rate' });
    expect(ratio).toMatchObject({ deviceId: null, stage: null, enabled: true, createdBy: operator.user.username });
    const dry = await created({
      deviceId: DEVICE,
      name: 'dry_run',
      kind: 'condition',
      expression: 'pressure < 2 and flow_rate > 300',
      stage: 3,
    });
    // Fine when saved; reported when a reading lacks the metric.
    const odd = await created({ name: 'odd_metric', kind: 'derived', expression: 'unknown_metric_xyz + 1' }, admin);
    // One name per scope.
    expect(
      (await post('/api/alert-rules', { deviceId: DEVICE, name: 'dry_run', kind: 'condition', expression: 'pressure < 1', stage: 2 }))
        .status,
    ).toBe(409);
    const listed = (await (await operator.fetch(`/api/alert-rules?deviceId=${DEVICE}`)).json()) as { name: string }[];
    expect(listed.map((r) => r.name)).toEqual(['pressure_per_flow', 'dry_run', 'odd_metric']);
    expect(((await (await operator.fetch(`/api/alert-rules?deviceId=${OTHER}`)).json()) as { name: string }[]).map((r) => r.name)).toEqual([
      'pressure_per_flow',
      'odd_metric',
    ]);

    // 200 minutes; the pump runs dry in minutes 100..109; flow_rate 0 at minute 150 (division by zero).
    const N = 200;
    const dryA = (m: number) => m >= 100 && m < 110;
    const rs = Array.from({ length: N }, (_, m) => reading(DEVICE, m, dryA, m === 150 ? { flow_rate: 0 } : {}));
    // Another device with the same readings has only the global rules: no dry_run alert.
    const others = Array.from({ length: N }, (_, m) => reading(OTHER, m, dryA));
    await publish([...rs, ...others]);
    await waitFor(
      async () => (await count(`SELECT count(*) FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure'`, [DEVICE])) === N,
      60_000,
      'every reading staged',
    );
    await waitFor(
      async () => (await count(`SELECT count(*) FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure'`, [OTHER])) === N,
      60_000,
      'other device staged',
    );

    // The derived metric is staged like a base metric, for every reading it could be computed on.
    const derivedRows = (
      await stack.pg.query(
        `SELECT extract(epoch FROM device_time) * 1000 AS t, value, status, stage FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure_per_flow' ORDER BY device_time`,
        [DEVICE],
      )
    ).rows;
    expect(derivedRows.length).toBe(N - 1);
    expect(derivedRows.some((r) => Number(r.t) === START_MS + 150 * MINUTE)).toBe(false);
    for (const r of derivedRows) {
      const m = (Number(r.t) - START_MS) / MINUTE;
      const src = rs[m].metrics;
      expect(r.value).toBeCloseTo(src.pressure / src.flow_rate, 12);
    }
    // Its own baseline warms up first (BCI_STAGER_MIN_POINTS), then scores.
    const warming = derivedRows.filter((r) => r.status === 'warming_up').length;
    expect(warming).toBeGreaterThanOrEqual(29);
    expect(warming).toBeLessThanOrEqual(31);
    // The dry run makes the ratio an outlier of its own baseline.
    expect(derivedRows.find((r) => Number(r.t) === START_MS + 100 * MINUTE)).toMatchObject({ status: 'scored', stage: 4 });
    expect(await count(`SELECT count(*) FROM sensor_stages WHERE metric = 'odd_metric'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure_per_flow'`, [OTHER])).toBe(N);

    // The condition: opened at minute 100 with stage 3, cleared after 5 normal readings (minute 114).
    await waitFor(
      async () => (await count(`SELECT count(*) FROM alerts WHERE metric = 'dry_run' AND state = 'cleared'`)) === 1,
      20_000,
      'dry_run cleared',
    );
    const alerts = (
      await stack.pg.query(
        `SELECT id, device_id, peak_stage, last_stage, state, opened_at, cleared_at, cleared_by FROM alerts WHERE metric = 'dry_run'`,
      )
    ).rows;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ device_id: DEVICE, peak_stage: 3, state: 'cleared', cleared_by: 'system' });
    expect(alerts[0].opened_at.getTime()).toBe(START_MS + 100 * MINUTE);
    expect(alerts[0].cleared_at.getTime()).toBe(START_MS + 114 * MINUTE);
    const types = (await stack.pg.query(`SELECT type, stage FROM alert_events WHERE alert_id = $1 ORDER BY seq`, [alerts[0].id])).rows;
    expect(types[0]).toEqual({ type: 'opened', stage: 3 });
    expect(types[types.length - 1].type).toBe('cleared');
    // It is an alert like the others through REST.
    const viaRest = (await (await operator.fetch(`/api/alerts?deviceId=${DEVICE}`)).json()) as { metric: string; peakStage: number }[];
    expect(viaRest.filter((a) => a.metric === 'dry_run')).toEqual([expect.objectContaining({ peakStage: 3 })]);

    // Evaluation problems are counted, not fatal.
    const issues = (await (await operator.fetch(`/api/alert-rules/issues?deviceId=${DEVICE}`)).json()) as {
      rule: string;
      code: string;
      count: number;
    }[];
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'odd_metric', code: 'missing_metric', count: N }),
        expect.objectContaining({ rule: 'pressure_per_flow', code: 'non_finite', count: 1 }),
      ]),
    );

    // Changes apply to the next reading: stage 4 now, and the odd metric disabled.
    const put = await operator.fetch(`/api/alert-rules/${dry.id}`, { method: 'PUT', body: { stage: 4 } });
    expect([put.status, (await put.json()).stage]).toEqual([200, 4]);
    expect((await operator.fetch(`/api/alert-rules/${odd.id}`, { method: 'PATCH', body: { enabled: false } })).status).toBe(200);
    expect((await operator.fetch(`/api/alert-rules/${dry.id}`, { method: 'PATCH', body: { expression: 'pressure = 1' } })).status).toBe(
      400,
    );
    expect((await operator.fetch(`/api/alert-rules/${dry.id}`, { method: 'PATCH', body: { kind: 'derived' } })).status).toBe(400);
    expect((await operator.fetch('/api/alert-rules/999999', { method: 'PATCH', body: { enabled: false } })).status).toBe(404);
    const dryB = (m: number) => m >= 220 && m < 225;
    const more = Array.from({ length: 40 }, (_, i) => reading(DEVICE, N + i, dryB));
    await publish(more);
    await waitFor(
      async () => (await count(`SELECT count(*) FROM alerts WHERE metric = 'dry_run' AND state = 'cleared'`)) === 2,
      20_000,
      'second dry_run cleared',
    );
    const second = (await stack.pg.query(`SELECT peak_stage, opened_at FROM alerts WHERE metric = 'dry_run' ORDER BY opened_at DESC LIMIT 1`))
      .rows[0];
    expect(second.peak_stage).toBe(4);
    expect(second.opened_at.getTime()).toBe(START_MS + 220 * MINUTE);
    const oddCount = (await (await operator.fetch(`/api/alert-rules/issues?deviceId=${DEVICE}`)).json()).find(
      (i: { rule: string }) => i.rule === 'odd_metric',
    ).count;
    expect(oddCount).toBe(N);

    // Rules are loaded at start-up.
    await stack.server.kill();
    stack.server = await startServer({ DATABASE_URL: stack.db.url, NATS_URL: stack.nats.url, ...ENV });
    const dryC = (m: number) => m >= 300 && m < 303;
    await publish(Array.from({ length: 20 }, (_, i) => reading(DEVICE, 295 + i, dryC)));
    await waitFor(
      async () => (await count(`SELECT count(*) FROM alerts WHERE metric = 'dry_run' AND state = 'cleared'`)) === 3,
      30_000,
      'third dry_run cleared after restart',
    );
    expect(
      await count(`SELECT count(*) FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure_per_flow' AND device_time >= $2`, [
        DEVICE,
        new Date(START_MS + 295 * MINUTE),
      ]),
    ).toBe(20);
    // The derived metric's baseline was rebuilt from sensor_stages: no new warm-up.
    expect(
      await count(
        `SELECT count(*) FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure_per_flow' AND device_time >= $2 AND status = 'warming_up'`,
        [DEVICE, new Date(START_MS + 295 * MINUTE)],
      ),
    ).toBe(0);

    // Deleting a rule stops it; every change is audited.
    const op = authedFetch(stack.server.url, (await loginAdmin(stack.server.url)).accessToken);
    expect((await op(`/api/alert-rules/${ratio.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await op(`/api/alert-rules/${ratio.id}`, { method: 'DELETE' })).status).toBe(404);
    await publish([reading(DEVICE, 400, () => false)]);
    await waitFor(
      async () =>
        (await count(`SELECT count(*) FROM sensor_stages WHERE device_id = $1 AND metric = 'pressure' AND device_time = $2`, [
          DEVICE,
          new Date(START_MS + 400 * MINUTE),
        ])) === 1,
      20_000,
      'reading after delete',
    );
    expect(
      await count(`SELECT count(*) FROM sensor_stages WHERE metric = 'pressure_per_flow' AND device_time = $1`, [
        new Date(START_MS + 400 * MINUTE),
      ]),
    ).toBe(0);
    const audit = (await (await op('/api/audit?limit=100')).json()) as AuditEntry[];
    const ruleAudit = audit.filter((e) => e.action.startsWith('alert_rule.')).map((e) => `${e.action} ${e.actor} ${e.target}`);
    expect(ruleAudit.sort()).toEqual(
      [
        `alert_rule.create ${operator.user.username} ${ratio.id}`,
        `alert_rule.create ${operator.user.username} ${dry.id}`,
        `alert_rule.create admin ${odd.id}`,
        `alert_rule.update ${operator.user.username} ${dry.id}`,
        `alert_rule.update ${operator.user.username} ${odd.id}`,
        `alert_rule.delete admin ${ratio.id}`,
      ].sort(),
    );
  });
});
