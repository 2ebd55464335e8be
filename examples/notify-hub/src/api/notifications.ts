// Accepting a notification: render its template, store the record, enqueue the delivery.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DeliveryQueue } from '../shared/queue';
import { NotificationStore } from '../shared/store';
import { NotificationRecord, NotificationRequest } from '../shared/types';

export class UnknownTemplateError extends Error {}

interface Template {
  subject?: string;
  body: string;
}

/** Templates are edited in the admin console and kept in Redis. */
export class TemplateCatalog {
  constructor(private readonly redis: Redis) {}

  async get(tenantId: string, templateId: string): Promise<Template> {
    const raw = await this.redis.get(`template:${tenantId}:${templateId}`);
    if (raw === null) {
      throw new UnknownTemplateError(`no template ${templateId} for tenant ${tenantId}`);
    }
    return JSON.parse(raw) as Template;
  }
}

export function render(text: string, variables: Record<string, string>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, name: string) => variables[name] ?? '');
}

export class NotificationService {
  constructor(
    private readonly templates: TemplateCatalog,
    private readonly store: NotificationStore,
    private readonly queue: DeliveryQueue,
  ) {}

  async submit(req: NotificationRequest): Promise<NotificationRecord> {
    const template = await this.templates.get(req.tenantId, req.templateId);
    const now = new Date().toISOString();
    const record: NotificationRecord = {
      id: randomUUID(),
      tenantId: req.tenantId,
      channel: req.channel,
      recipient: req.recipient,
      templateId: req.templateId,
      state: 'accepted',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.create(record);
    // The rendered text travels with the job: the template may be edited
    // before a sender gets to it, and the recipient must get what was accepted.
    await this.queue.enqueue({
      notificationId: record.id,
      tenantId: req.tenantId,
      channel: req.channel,
      recipient: req.recipient,
      subject: template.subject && render(template.subject, req.variables),
      body: render(template.body, req.variables),
      attempt: 0,
    });
    await this.store.setState(record.id, 'queued');
    return { ...record, state: 'queued' };
  }
}
