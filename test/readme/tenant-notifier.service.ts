import { Injectable } from '@nestjs/common';
import { WhatsAppService } from 'nestjs-whatsapp-cloud';
import { TenantStore } from './tenant-store.js';

@Injectable()
export class TenantNotifier {
  constructor(
    private readonly whatsapp: WhatsAppService,
    private readonly tenants: TenantStore, // your storage: { accessToken, phoneNumberIds, wabaId }
  ) {}

  /** From the tenant's own number, with the tenant's token. */
  async orderShipped(tenantId: string, to: string): Promise<string> {
    const tenant = await this.tenants.find(tenantId);
    const wa = this.whatsapp.forAccount({
      accessToken: tenant.accessToken,
      phoneNumberId: tenant.phoneNumberIds[0],
      businessAccountId: tenant.wabaId,
    });
    const sent = await wa.messages.sendTemplate({
      to,
      template: { name: 'order_update', language: { code: 'en_US' } },
    });
    await wa.profile.update({ about: 'Orders ship within 24 h' });
    return sent.messages[0].id;
  }

  /** One call for a tenant without a client: a per-call token (and WABA) on the module's client. */
  async approvedTemplates(tenantId: string): Promise<string[]> {
    const tenant = await this.tenants.find(tenantId);
    const page = await this.whatsapp.templates.list({
      businessAccountId: tenant.wabaId,
      accessToken: tenant.accessToken,
      status: 'APPROVED',
    });
    return page.data.map((template) => template.name);
  }
}
