import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import {
  WhatsAppService,
  type BlockedUser,
  type BlockUsersResult,
  type BusinessProfile,
  type QrCode,
  type UpdateBusinessProfileInput,
} from 'nestjs-whatsapp-cloud';
import { adminGraphError, blockFailures } from './admin-graph-error.js';

/** The profile fields the routes change; anything else in a request (phoneNumberId, accessToken...) is ignored. */
export const PROFILE_TEXT_FIELDS = [
  'about',
  'address',
  'description',
  'email',
  'vertical',
] as const;

/** Meta's business categories, for the page's select. */
export const VERTICALS = [
  'OTHER',
  'AUTO',
  'BEAUTY',
  'APPAREL',
  'EDU',
  'ENTERTAIN',
  'EVENT_PLAN',
  'FINANCE',
  'GROCERY',
  'GOVT',
  'HOTEL',
  'HEALTH',
  'NONPROFIT',
  'PROF_SERVICES',
  'RETAIL',
  'TRAVEL',
  'RESTAURANT',
  'NOT_A_BIZ',
] as const;

/** Most items a list shows: the page and the JSON stop there (the Graph pages are followed up to it). */
export const LIST_LIMIT = 200;

/** A phone number in international format (spaces, dashes, parentheses and a leading + allowed). */
const PHONE = /^\+?[\d\s().-]{6,24}$/;
/** A QR code's id: nothing that could leave the path segment. */
const QR_CODE = /^[A-Za-z0-9_-]{1,64}$/;

const bad = (message: string): BadRequestException => new BadRequestException(message);

/** The phone number's digits, or 400. */
export function phoneDigits(value: unknown, field: string): string {
  const digits =
    typeof value === 'string' && PHONE.test(value.trim()) ? value.replace(/\D/g, '') : '';
  if (digits.length < 6 || digits.length > 15) {
    throw bad(`"${field}" must be a phone number in international format (6 to 15 digits)`);
  }
  return digits;
}

export function qrCodeId(value: unknown): string {
  if (typeof value !== 'string' || !QR_CODE.test(value)) throw bad('unknown QR code id format');
  return value;
}

/**
 * The update a request asks for: the text fields given as non-empty strings, and `websites` (a list,
 * or one string; empty entries dropped). An empty field keeps Meta's value. Lengths and URLs are
 * checked by `whatsapp.profile.update()` (WhatsAppValidationError, answered 400).
 */
export function profileUpdate(body: unknown): UpdateBusinessProfileInput {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const update: Record<string, unknown> = {};
  for (const field of PROFILE_TEXT_FIELDS) {
    const value = input[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw bad(`"${field}" must be a string`);
    update[field] = value.trim();
  }
  const websites = input.websites;
  if (websites !== undefined) {
    const list = Array.isArray(websites) ? websites : [websites];
    if (!list.every((w): w is string => typeof w === 'string')) {
      throw bad('"websites" must be a list of URLs');
    }
    const given = list.map((w) => w.trim()).filter((w) => w !== '');
    if (given.length > 0) update.websites = given;
  }
  if (Object.keys(update).length === 0) {
    throw bad(`give at least one of ${[...PROFILE_TEXT_FIELDS, 'websites'].join(', ')}`);
  }
  return update as UpdateBusinessProfileInput;
}

/** Collects up to LIST_LIMIT items of a paginated Graph list. */
async function firstItems<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= LIST_LIMIT) break;
  }
  return out;
}

/**
 * What /admin does, on the module's number with the module's token: the JSON routes and the page's
 * forms call the same methods. Every Graph failure becomes an HTTP error (adminGraphError).
 */
@Injectable()
export class AdminActions {
  constructor(private readonly whatsapp: WhatsAppService) {}

  private async graph<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw adminGraphError(error);
    }
  }

  profile(): Promise<BusinessProfile> {
    return this.graph(() => this.whatsapp.profile.get());
  }

  async updateProfile(body: unknown): Promise<BusinessProfile> {
    const update = profileUpdate(body);
    await this.graph(() => this.whatsapp.profile.update(update));
    return this.profile();
  }

  qrCodes(): Promise<QrCode[]> {
    return this.graph(() => firstItems(this.whatsapp.qrCodes.listAll({ limit: 100 })));
  }

  createQrCode(body: unknown): Promise<QrCode> {
    const { prefilled_message: message, format } = (body ?? {}) as Record<string, unknown>;
    if (typeof message !== 'string' || message.trim() === '') {
      throw bad('"prefilled_message" must be a non-empty string (at most 140 characters)');
    }
    const image = format === undefined || format === '' ? 'PNG' : format;
    if (image !== 'PNG' && image !== 'SVG') throw bad('"format" must be PNG or SVG');
    return this.graph(() =>
      this.whatsapp.qrCodes.create({ prefilled_message: message.trim(), generate_qr_image: image }),
    );
  }

  /**
   * The image URL of a QR code in a format: Meta lists codes without it, and makes it on request
   * (`fields=qr_image_url.format(SVG)`). 404 when Graph answers none.
   */
  async qrImageUrl(code: unknown, format: unknown): Promise<string> {
    const id = qrCodeId(code);
    if (format !== 'PNG' && format !== 'SVG') throw bad('"format" must be PNG or SVG');
    const qr = await this.graph(() =>
      this.whatsapp.qrCodes.get(id, { fields: ['code', `qr_image_url.format(${format})`] }),
    );
    const url = qr?.qr_image_url;
    if (typeof url !== 'string' || !/^https:\/\/\S+$/i.test(url)) {
      throw new NotFoundException(`No ${format} image for QR code ${id}`);
    }
    return url;
  }

  async deleteQrCode(code: unknown): Promise<{ success: boolean }> {
    const id = qrCodeId(code);
    const answer = await this.graph(() => this.whatsapp.qrCodes.delete(id));
    return { success: answer.success !== false };
  }

  blockedUsers(): Promise<BlockedUser[]> {
    return this.graph(() => firstItems(this.whatsapp.blockedUsers.listAll({ limit: 100 })));
  }

  /** `users`: a list or one phone number. 502 when Meta failed any of them (blockFailures). */
  async block(body: unknown): Promise<BlockUsersResult> {
    const given = ((body ?? {}) as Record<string, unknown>).users;
    const list = Array.isArray(given) ? given : [given];
    if (list.length === 0 || list.length > 100)
      throw bad('"users" must list 1 to 100 phone numbers');
    const users = list.map((user, i) => phoneDigits(user, `users[${i}]`));
    const result = await this.graph(() => this.whatsapp.blockedUsers.block({ users }));
    blockFailures(result, 'block');
    return result;
  }

  async unblock(user: unknown): Promise<BlockUsersResult> {
    const users = [phoneDigits(user, 'user')];
    const result = await this.graph(() => this.whatsapp.blockedUsers.unblock({ users }));
    blockFailures(result, 'unblock');
    return result;
  }
}
