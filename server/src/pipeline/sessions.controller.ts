// Calibration sessions: create, start/stop (device time), inspect with their markers, delete,
// and train a model on one.
import { BadRequestException, Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { isValidDeviceId, MARKER_CODES, type MarkerCode } from '@bci/shared';
import { PipelineService } from './pipeline.service';
import { SessionsRepository, type SessionRow } from './sessions.repository';
import { TrainingService } from './training.service';
import { AuditService } from '../auth/audit.service';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser, Roles, ScopeDevice } from '../auth/decorators';
import { FilterByDevice } from '../auth/device-filter.interceptor';

function view(s: SessionRow) {
  const iso = (us: number | null) => (us === null ? null : new Date(us / 1000).toISOString());
  return { ...s, startedAt: iso(s.startedAtUs), stoppedAt: iso(s.stoppedAtUs) };
}

function optionalUs(body: unknown, name: string): number | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new BadRequestException(`${name} must be microseconds since the epoch (an integer)`);
  return v;
}

/** Clinicians (sessions of their assigned devices) and admins. */
@Roles('admin', 'clinician')
@Controller('api/sessions')
export class SessionsController {
  constructor(
    private readonly repo: SessionsRepository,
    private readonly pipeline: PipelineService,
    private readonly training: TrainingService,
    private readonly audit: AuditService,
  ) {}

  @ScopeDevice('body', 'deviceId')
  @Post()
  async create(@Body() body: { deviceId?: unknown; subject?: unknown }) {
    if (!isValidDeviceId(body?.deviceId)) throw new BadRequestException('deviceId must be a device id (letters, digits, - and _)');
    if (typeof body.subject !== 'string' || !body.subject.trim() || body.subject.length > 200) throw new BadRequestException('subject (1-200 characters) is required');
    return view(await this.repo.create(body.deviceId, body.subject.trim()));
  }

  @ScopeDevice('query', 'deviceId')
  @FilterByDevice()
  @Get()
  async list(@Query('deviceId') deviceId?: string) {
    return (await this.repo.list(deviceId)).map(view);
  }

  /** The session with its markers (cues and others) between start and stop (or now). */
  @ScopeDevice('session', 'id')
  @Get(':id')
  async get(@Param('id') id: string) {
    const s = await this.found(id);
    const markers = s.startedAtUs === null ? [] : await this.repo.markers(s.deviceId, s.startedAtUs, s.stoppedAtUs ?? Number.MAX_SAFE_INTEGER);
    const cues: Record<string, number> = {};
    for (const m of markers) if (m.code.startsWith('cue_')) cues[m.code] = (cues[m.code] ?? 0) + 1;
    return { ...view(s), markers, cues };
  }

  /** Start at body.startUs, or just after the device's newest sample. */
  @ScopeDevice('session', 'id')
  @Post(':id/start')
  @HttpCode(200)
  async start(@Param('id') id: string, @Body() body: unknown) {
    const s = await this.found(id);
    if (s.startedAtUs !== null) throw new ConflictException('the session has already been started');
    const us = optionalUs(body, 'startUs') ?? (await this.latest(s.deviceId));
    return view((await this.repo.setBound(id, 'start', us))!);
  }

  /** Stop at body.stopUs, or just after the device's newest sample. */
  @ScopeDevice('session', 'id')
  @Post(':id/stop')
  @HttpCode(200)
  async stop(@Param('id') id: string, @Body() body: unknown) {
    const s = await this.found(id);
    if (s.startedAtUs === null) throw new ConflictException('the session has not been started');
    if (s.stoppedAtUs !== null) throw new ConflictException('the session has already been stopped');
    const us = optionalUs(body, 'stopUs') ?? (await this.latest(s.deviceId));
    if (us <= s.startedAtUs) throw new BadRequestException('the session would stop before it started');
    return view((await this.repo.setBound(id, 'stop', us))!);
  }

  @ScopeDevice('session', 'id')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<void> {
    const s = await this.repo.get(id);
    if (!s || !(await this.repo.delete(id))) throw new NotFoundException(`no session ${id}`);
    await this.audit.record(user.username, 'session.delete', id, { deviceId: s.deviceId, subject: s.subject });
  }

  /**
   * Adds a marker inside the session (a missed cue, a relabelled trial): body {timeUs, code, label?, durationS?}.
   * Training reads markers from the store, so the next calibration sees it.
   */
  @ScopeDevice('session', 'id')
  @Post(':id/markers')
  @HttpCode(201)
  async addMarker(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const s = await this.found(id);
    const timeUs = optionalUs(body, 'timeUs');
    if (timeUs === undefined) throw new BadRequestException('timeUs is required');
    this.insideSession(s, timeUs);
    const code = body?.code;
    if (typeof code !== 'string' || !(MARKER_CODES as readonly string[]).includes(code)) throw new BadRequestException(`code must be one of ${MARKER_CODES.join(', ')}`);
    const label = body.label ?? '';
    if (typeof label !== 'string' || label.length > 255) throw new BadRequestException('label must be a string of at most 255 characters');
    const durationS = body.durationS ?? null;
    if (durationS !== null && (typeof durationS !== 'number' || !Number.isFinite(durationS) || durationS < 0)) throw new BadRequestException('durationS must be a non-negative number');
    const marker = { timeUs, code: code as MarkerCode, label, durationS: durationS as number | null };
    if (!(await this.repo.addMarker(s.deviceId, marker))) throw new ConflictException(`a ${code} marker already exists at ${timeUs}`);
    await this.audit.record(user.username, 'session.marker.add', id, { deviceId: s.deviceId, ...marker });
    return { ...marker, source: 'manual' };
  }

  /** Deletes one marker inside the session: ?timeUs=&code= (device or manual). */
  @ScopeDevice('session', 'id')
  @Delete(':id/markers')
  @HttpCode(204)
  async deleteMarker(@Param('id') id: string, @Query('timeUs') timeUs: string, @Query('code') code: string, @CurrentUser() user: AuthUser): Promise<void> {
    const s = await this.found(id);
    const us = Number(timeUs);
    if (!Number.isSafeInteger(us) || us < 0) throw new BadRequestException('timeUs must be microseconds since the epoch');
    this.insideSession(s, us);
    const deleted = await this.repo.deleteMarker(s.deviceId, us, String(code ?? ''));
    if (!deleted) throw new NotFoundException(`no ${code} marker at ${us} in session ${id}`);
    await this.audit.record(user.username, 'session.marker.delete', id, { deviceId: s.deviceId, timeUs: us, code, ...deleted });
  }

  /** Queues training; watch `training` events on device:<id> or GET /api/models?deviceId=. */
  @ScopeDevice('session', 'id')
  @Post(':id/train')
  @HttpCode(202)
  async train(@Param('id') id: string, @Body() body: { pipeline?: unknown }) {
    return this.training.start(await this.found(id), body?.pipeline ?? 'csp-lda');
  }

  private insideSession(s: SessionRow, us: number): void {
    if (s.startedAtUs === null) throw new ConflictException('the session has not been started');
    if (us < s.startedAtUs || (s.stoppedAtUs !== null && us >= s.stoppedAtUs)) throw new BadRequestException('the marker time lies outside the session');
  }

  private async found(id: string): Promise<SessionRow> {
    const s = await this.repo.get(id);
    if (!s) throw new NotFoundException(`no session ${id}`);
    return s;
  }

  /** The newer of what the processor has seen and what is stored (they differ only by the batch in flight). */
  private async latest(deviceId: string): Promise<number> {
    const mem = this.pipeline.latestUs(deviceId);
    const db = await this.repo.latestChunkEndUs(deviceId);
    const us = Math.max(mem ?? -1, db ?? -1);
    if (us < 0) throw new ConflictException(`no EEG from ${deviceId} yet: give the time explicitly (startUs / stopUs)`);
    return us;
  }
}
