import { Injectable } from '@nestjs/common';

/** When the business takes calls: Monday to Friday, 9:00 to 18:00 UTC (the sample's shop hours). */
@Injectable()
export class OpeningHours {
  /** The clock; tests replace it. */
  now: () => Date = () => new Date();

  isOpen(at: Date = this.now()): boolean {
    const day = at.getUTCDay();
    const hour = at.getUTCHours();
    return day >= 1 && day <= 5 && hour >= 9 && hour < 18;
  }
}
