// Open guided forms on PostgreSQL (open_form): one row per person and platform. Every change is
// one conditional statement on (form key, version), so concurrent answers in two bot processes
// cannot both advance a form, and only one of them submits it. The table holds at most one row
// per person, so an expired row is simply ignored (and replaced by the next form).

import type { Prisma, PrismaClient } from '../generated/client.ts';
import type { OpenFormsPort, StoredForm } from '../../core/ports/open-forms.port.ts';

const json = (state: unknown) => state as Prisma.InputJsonValue;

export class OpenFormsRepository implements OpenFormsPort {
  constructor(private readonly db: Pick<PrismaClient, 'openForm'>) {}

  async get(platform: string, userId: string, now: Date): Promise<StoredForm | null> {
    const row = await this.db.openForm.findUnique({ where: { platform_userId: { platform, userId } } });
    if (!row || row.expiresAt <= now) return null;
    return { key: row.formKey, version: row.version, state: row.state, expiresAt: row.expiresAt };
  }

  async open(platform: string, userId: string, form: { key: string; state: unknown; expiresAt: Date }): Promise<void> {
    const data = { formKey: form.key, version: 0, state: json(form.state), expiresAt: form.expiresAt };
    await this.db.openForm.upsert({
      where: { platform_userId: { platform, userId } },
      create: { platform, userId, ...data },
      update: data,
    });
  }

  async advance(
    platform: string,
    userId: string,
    at: { key: string; version: number },
    next: { state: unknown; expiresAt: Date },
  ): Promise<boolean> {
    const { count } = await this.db.openForm.updateMany({
      where: { platform, userId, formKey: at.key, version: at.version },
      data: { state: json(next.state), expiresAt: next.expiresAt, version: { increment: 1 } },
    });
    return count === 1;
  }

  async close(platform: string, userId: string, at: { key: string; version?: number }): Promise<boolean> {
    const { count } = await this.db.openForm.deleteMany({
      where: { platform, userId, formKey: at.key, ...(at.version === undefined ? {} : { version: at.version }) },
    });
    return count === 1;
  }
}
