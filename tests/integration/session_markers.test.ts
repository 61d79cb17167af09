// A researcher corrects a calibration session's labels: markers can be added (kept apart as
// 'manual') and deleted inside the session, never outside it, and each change is audited.
import { DevicePublisher } from '@bci/shared';
import { authedFetch, loginAdmin, type AuthedFetch } from '../support/auth';
import { startServerStack, type ServerStack } from '../support/server-stack';
import { waitFor } from '../support/wait';
import { makeChunk } from '../support/durability';

describe('session markers', () => {
  let stack: ServerStack;
  let api: AuthedFetch;
  beforeAll(async () => {
    stack = await startServerStack();
    api = authedFetch(stack.server.url, (await loginAdmin(stack.server.url)).accessToken);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('adds and deletes markers inside a session, refuses them outside, and audits both', async () => {
    const pub = new DevicePublisher(stack.js);
    for (let s = 0; s < 20; s++) await pub.publishEeg(makeChunk('hs-mk', s));
    const t0 = makeChunk('hs-mk', 0).t0Us;
    const cueUs = makeChunk('hs-mk', 5).t0Us;
    await pub.publishMarker({ deviceId: 'hs-mk', timeUs: cueUs, code: 'cue_left', label: 'T1' });
    await waitFor(async () => (await (await api('/api/devices/hs-mk/markers?from=' + t0 + '&to=' + (t0 + 10_000_000))).json()).length === 1, 15_000, 'device marker stored');

    const session = await (await api('/api/sessions', { method: 'POST', body: { deviceId: 'hs-mk', subject: 'S-test' } })).json();
    await api(`/api/sessions/${session.id}/start`, { method: 'POST', body: { startUs: t0 } });
    await api(`/api/sessions/${session.id}/stop`, { method: 'POST', body: { stopUs: t0 + 2_000_000 } });

    const manualUs = makeChunk('hs-mk', 12).t0Us;
    const added = await api(`/api/sessions/${session.id}/markers`, { method: 'POST', body: { timeUs: manualUs, code: 'cue_right', label: 'missed cue', durationS: 4 } });
    expect(added.status).toBe(201);
    expect((await api(`/api/sessions/${session.id}/markers`, { method: 'POST', body: { timeUs: manualUs, code: 'cue_right' } })).status).toBe(409);
    expect((await api(`/api/sessions/${session.id}/markers`, { method: 'POST', body: { timeUs: t0 + 5_000_000, code: 'cue_right' } })).status).toBe(400);
    expect((await api(`/api/sessions/${session.id}/markers`, { method: 'POST', body: { timeUs: manualUs + 1, code: 'jump' } })).status).toBe(400);

    let detail = await (await api(`/api/sessions/${session.id}`)).json();
    expect(detail.markers.map((m: { code: string; source: string }) => [m.code, m.source])).toEqual([
      ['cue_left', 'device'],
      ['cue_right', 'manual'],
    ]);
    expect(detail.cues).toEqual({ cue_left: 1, cue_right: 1 });

    expect((await api(`/api/sessions/${session.id}/markers?timeUs=${cueUs}&code=cue_left`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/sessions/${session.id}/markers?timeUs=${cueUs}&code=cue_left`, { method: 'DELETE' })).status).toBe(404);
    detail = await (await api(`/api/sessions/${session.id}`)).json();
    expect(detail.markers.map((m: { code: string }) => m.code)).toEqual(['cue_right']);

    const audit = await (await api('/api/audit?action=session.marker.add')).json();
    expect(audit.map((a: { actor: string; target: string }) => [a.actor, a.target])).toEqual([['admin', String(session.id)]]);
    const deletions = await (await api('/api/audit?action=session.marker.delete')).json();
    expect(deletions).toHaveLength(1);
    expect(deletions[0].details).toMatchObject({ code: 'cue_left', source: 'device' });
  });
});
