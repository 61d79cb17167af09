// End to end over the pure pieces, the way the server wires them.
import { StagerRegistry } from '../anomaly/registry';
import { ExpressionSet } from '../anomaly/expressions';
import { buildCentralPayload, DEFAULT_CENTRAL_EVENT_TYPES } from './centralPayload';
import { AlertLifecycle, type AlertEvent } from './lifecycle';

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1);

it('readings → stages → one alert per incident → central payloads', () => {
  const stagers = new StagerRegistry({ minPoints: 30 });
  stagers.configure({ metric: 'pressure' }, { twoSided: true });
  stagers.configure({ metric: 'resistance' }, { twoSided: true }); // a burst makes it drop
  const exprs = new ExpressionSet(
    { derived: [{ name: 'resistance', expression: 'pressure / flow_rate' }], conditions: [{ name: 'burst', expression: 'pressure < 2 and flow_rate > 300', stage: 4 }] },
    ['flow_rate', 'pressure'],
  );
  // minOpenStage 3: with stage-1 openings, the periodic ripple in 'resistance' alone opens an
  // incident every few minutes (p ≥ 90 is 10% of normal readings by construction).
  const lifecycle = new AlertLifecycle({ clearAfterNormalReadings: 3, escalateAfterMs: 10 * MIN, minOpenStage: 3 });
  const events: AlertEvent[] = [];
  for (let i = 0; i < 120; i++) {
    const burst = i >= 80 && i < 85;
    const metrics = { flow_rate: burst ? 350 : 12 + (i % 3), pressure: burst ? 1.5 : 3 + (i % 2) / 10 };
    const time = T0 + i * MIN;
    const { metrics: all } = exprs.derive(metrics);
    for (const m of stagers.ingest({ deviceId: 'WM-7', time: new Date(time).toISOString(), metrics: all })) events.push(...lifecycle.observe(m));
    for (const c of exprs.evaluateConditions(all).results) {
      events.push(...lifecycle.observe({ deviceId: 'WM-7', metric: `condition:${c.name}`, time, value: c.active ? 1 : 0, stage: c.stage }));
    }
    events.push(...lifecycle.tick(time));
  }
  const opened = events.filter((e) => e.type === 'opened');
  // One incident per series touched by the burst: flow_rate, pressure, resistance, condition:burst.
  expect(opened.map((e) => e.alert.metric).sort()).toEqual(['condition:burst', 'flow_rate', 'pressure', 'resistance']);
  expect(opened.every((e) => e.time === T0 + 80 * MIN)).toBe(true);
  expect(events.filter((e) => e.type === 'cleared')).toHaveLength(4);
  const central = events.filter((e) => DEFAULT_CENTRAL_EVENT_TYPES.has(e.type)).map(buildCentralPayload);
  expect(new Set(central.map((c) => c.idempotencyKey)).size).toBe(central.length);
  expect(central.find((c) => c.payload.metric === 'condition:burst')!.payload).toMatchObject({ machine_number: 'WM-7', outlier_stage: 4, value: 1 });
});
