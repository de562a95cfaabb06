import type { ResolvedSandboxOptions } from './sandbox-options.js';
import type { SandboxStore, TemplateRecord } from './sandbox-store.js';
import type { WebhookDelivery } from './webhook-delivery.js';

/**
 * Meta's review of created or edited templates: PENDING, then APPROVED (or REJECTED when the name contains
 * one of `rejectTemplateNamesContaining`) after `templateReviewMs`, announced by `message_template_status_update`.
 */
export class TemplateReview {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly options: ResolvedSandboxOptions,
    private readonly store: SandboxStore,
    private readonly delivery: WebhookDelivery,
  ) {}

  submit(template: TemplateRecord): void {
    template.status = 'PENDING';
    template.rejected_reason = 'NONE';
    this.store.putTemplate(template);
    // Submitted while the sandbox closes: no verdict, and no timer left behind.
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.decide(template);
    }, this.options.templateReviewMs);
    this.timers.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private decide(template: TemplateRecord): void {
    // A template deleted meanwhile gets no verdict.
    if (this.store.templates.get(template.id) !== template || template.status !== 'PENDING') return;
    const reject = this.options.rejectTemplateNamesContaining.some((word) =>
      template.name.includes(word),
    );
    template.status = reject ? 'REJECTED' : 'APPROVED';
    template.rejected_reason = reject ? 'INVALID_FORMAT' : 'NONE';
    this.store.putTemplate(template);
    const value: Record<string, unknown> = {
      event: template.status,
      message_template_id: Number(template.id),
      message_template_name: template.name,
      message_template_language: template.language,
      reason: template.rejected_reason,
      message_template_category: template.category,
    };
    if (reject) {
      value.rejection_info = {
        reason: `The sandbox rejects templates whose name contains "${this.options.rejectTemplateNamesContaining.join('" or "')}".`,
        recommendation: 'Rename the template to have it approved.',
      };
    }
    // Sent for the WABA owning the template (metadata: its first number).
    const business = this.options.businesses.find(
      (b) => b.businessAccountId === template.businessAccountId,
    );
    this.delivery.enqueue({
      kind: 'event',
      field: 'message_template_status_update',
      value,
      phoneNumberId: business?.phoneNumberId,
    });
  }
}
