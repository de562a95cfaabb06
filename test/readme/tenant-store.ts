import { Injectable, Module } from '@nestjs/common';

/** What your app keeps per tenant. Encrypt `accessToken` at rest (docs/tenants.md, "Token storage"). */
export interface Tenant {
  id: string;
  wabaId: string;
  /** The WABA's numbers; the first one sends by default. */
  phoneNumberIds: string[];
  /** A business token reaches every number of the WABA. */
  accessToken: string;
  greeting: string;
}

/** An in-memory stand-in for your tenant table, used by the docs/tenants.md examples. */
@Injectable()
export class TenantStore {
  readonly #tenants = new Map<string, Tenant>();

  save(tenant: Tenant): Promise<void> {
    this.#tenants.set(tenant.id, tenant);
    return Promise.resolve();
  }

  find(id: string): Promise<Tenant> {
    return this.#one((t) => t.id === id, `tenant ${id}`);
  }

  byWaba(wabaId: string): Promise<Tenant> {
    return this.#one((t) => t.wabaId === wabaId, `WABA ${wabaId}`);
  }

  #one(test: (tenant: Tenant) => boolean, what: string): Promise<Tenant> {
    const tenant = [...this.#tenants.values()].find(test);
    return tenant ? Promise.resolve(tenant) : Promise.reject(new Error(`unknown ${what}`));
  }
}

@Module({ providers: [TenantStore], exports: [TenantStore] })
export class TenantStoreModule {}
