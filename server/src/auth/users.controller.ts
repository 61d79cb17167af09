// User management (admins): GET/POST /api/users, PATCH/DELETE /api/users/:id.
import { BadRequestException, Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { isValidDeviceId, ROLES, type CreateUserRequest, type Role, type UpdateUserRequest, type UserView } from '@bci/shared';
import { AuditService } from './audit.service';
import type { AuthUser } from './auth.types';
import { CurrentUser, Roles } from './decorators';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';
import { toView, UsersRepository } from './users.repository';

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

function role(v: unknown): Role {
  if (!ROLES.includes(v as Role)) throw new BadRequestException(`role must be one of ${ROLES.join(', ')}`);
  return v as Role;
}
function password(v: unknown): string {
  if (typeof v !== 'string' || v.length < PASSWORD_MIN_LENGTH || v.length > PASSWORD_MAX_LENGTH) {
    throw new BadRequestException(`password must be ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters`);
  }
  return v;
}
function deviceIds(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > 1000 || !v.every((d) => isValidDeviceId(d))) throw new BadRequestException('deviceIds must be an array of device ids');
  return [...new Set(v as string[])];
}

@Roles('admin')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(toView);
  }

  @Post()
  async create(@Body() body: CreateUserRequest, @CurrentUser() actor: AuthUser): Promise<UserView> {
    if (typeof body?.username !== 'string' || !USERNAME.test(body.username)) throw new BadRequestException('username must be 1-64 of letters, digits, _ . @ -');
    const r = role(body.role);
    const devices = body.deviceIds === undefined ? [] : deviceIds(body.deviceIds);
    const hash = await hashPassword(password(body.password));
    if (await this.users.byUsername(body.username)) throw new ConflictException(`user ${body.username} exists`);
    const created = await this.users.create({ username: body.username, role: r, passwordHash: hash, deviceIds: devices }).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new ConflictException(`user ${body.username} exists`);
      throw err;
    });
    await this.audit.record(actor.username, 'user.create', created.username, { id: created.id, role: r, deviceIds: devices });
    return toView(created);
  }

  @Patch(':id')
  async update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateUserRequest, @CurrentUser() actor: AuthUser): Promise<UserView> {
    const patch: { role?: Role; passwordHash?: string; disabled?: boolean; deviceIds?: string[] } = {};
    if (body?.role !== undefined) patch.role = role(body.role);
    if (body?.password !== undefined) patch.passwordHash = await hashPassword(password(body.password));
    if (body?.disabled !== undefined) {
      if (typeof body.disabled !== 'boolean') throw new BadRequestException('disabled must be a boolean');
      patch.disabled = body.disabled;
    }
    if (body?.deviceIds !== undefined) patch.deviceIds = deviceIds(body.deviceIds);
    const before = await this.users.byId(id);
    if (!before) throw new NotFoundException(`no user ${id}`);
    // Never lock everyone out: the last active admin keeps the role and stays enabled.
    const losesAdmin = before.role === 'admin' && !before.disabled && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
    if (losesAdmin && (await this.users.countActiveAdmins()) <= 1) throw new ConflictException('the last active admin cannot be demoted or disabled');
    const after = await this.users.update(id, patch);
    if (!after) throw new NotFoundException(`no user ${id}`);
    const changed = Object.keys(body ?? {}).filter((k) => ['role', 'password', 'disabled', 'deviceIds'].includes(k));
    await this.audit.record(actor.username, 'user.update', after.username, { id, changed, role: after.role, disabled: after.disabled, deviceIds: after.deviceIds });
    return toView(after);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseIntPipe) id: number, @CurrentUser() actor: AuthUser): Promise<void> {
    const user = await this.users.byId(id);
    if (!user) throw new NotFoundException(`no user ${id}`);
    if (user.id === actor.id) throw new ConflictException('you cannot delete your own account');
    if (user.role === 'admin' && !user.disabled && (await this.users.countActiveAdmins()) <= 1) throw new ConflictException('the last active admin cannot be deleted');
    await this.users.delete(id);
    await this.audit.record(actor.username, 'user.delete', user.username, { id, role: user.role });
  }
}
