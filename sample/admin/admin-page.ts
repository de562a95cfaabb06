import type { BlockedUser, BusinessProfile, QrCode } from 'nestjs-whatsapp-cloud';
import { escapeHtml as escape } from '../html-escape.js';
import { lockedPageHeaders } from '../locked-page-headers.js';
import { VERTICALS } from './admin-actions.js';

const STYLE =
  'body{font:14px system-ui,sans-serif;margin:24px;max-width:960px}table{border-collapse:collapse}' +
  'td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}label{display:block;margin:6px 0}' +
  'input[type=text],input[type=email],input[type=url],input[type=password],textarea{width:28em}' +
  'form.inline{display:inline}.notice{background:#e7f6e7;padding:8px}.error{background:#fde8e8;padding:8px}';

/** The admin pages' headers (forms post only here): see lockedPageHeaders. */
export const ADMIN_PAGE_HEADERS = lockedPageHeaders(STYLE, "'self'");

/** How the person got in, for the header line. */
export type AdminVia = 'open' | 'bearer' | 'session';

export interface AdminPageView {
  /** WHATSAPP_PHONE_NUMBER_ID, when the environment has it. */
  phoneNumberId?: string;
  via: AdminVia;
  profile: BusinessProfile;
  qrCodes: QrCode[];
  blocked: BlockedUser[];
  /** What the last form did (the redirect's `?done=`). */
  notice?: string;
}

/** `?done=` of the redirect after each form: a fixed text each (nothing from the URL is echoed but the QR code id). */
export const NOTICES: Readonly<Record<string, string>> = {
  profile: 'Business profile saved.',
  'qr-created': 'QR code created.',
  'qr-deleted': 'QR code deleted.',
  blocked: 'User blocked.',
  unblocked: 'User unblocked.',
};

/** A link only for an absolute http(s) URL (what Meta returns); anything else is shown as text. */
function link(url: unknown, label: string, testid: string): string {
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url)) return '—';
  return `<a href="${escape(url)}" rel="noreferrer noopener" data-testid="${testid}">${escape(label)}</a>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

function profileSection(profile: BusinessProfile): string {
  const value = (field: string) => escape(typeof profile[field] === 'string' ? profile[field] : '');
  const websites = Array.isArray(profile.websites) ? profile.websites : [];
  const input = (field: string, label: string, type: string, max: number) =>
    `<label>${label} <input type="${type}" name="${field}" maxlength="${max}" value="${value(field)}" data-testid="profile-${field}"></label>`;
  const verticals = ['', ...VERTICALS]
    .map(
      (v) =>
        `<option value="${v}"${profile.vertical === v ? ' selected' : ''}>${v === '' ? '(keep)' : v}</option>`,
    )
    .join('');
  const shown = (['about', 'address', 'description', 'email', 'vertical'] as const)
    .map((f) => `<tr><th>${f}</th><td data-testid="current-${f}">${value(f)}</td></tr>`)
    .join('\n');
  return `<section id="profile"><h2>Business profile</h2>
<table data-testid="profile">
${shown}
<tr><th>websites</th><td data-testid="current-websites">${websites.map((w) => link(w, String(w), 'website-link')).join(' ')}</td></tr>
</table>
<form method="post" action="/admin/profile" data-testid="profile-form">
${input('about', 'About', 'text', 139)}
${input('address', 'Address', 'text', 256)}
<label>Description <textarea name="description" maxlength="512" rows="3" data-testid="profile-description">${value('description')}</textarea></label>
${input('email', 'Email', 'email', 128)}
<label>Website <input type="url" name="websites" value="${escape(websites[0] ?? '')}" data-testid="profile-website-1"></label>
<label>Website <input type="url" name="websites" value="${escape(websites[1] ?? '')}" data-testid="profile-website-2"></label>
<label>Category <select name="vertical" data-testid="profile-vertical">${verticals}</select></label>
<p>An empty field keeps its current value.</p>
<button type="submit" data-testid="profile-save">Save profile</button>
</form></section>`;
}

/**
 * The image link: Meta's URL when the answer has one (after a create, or in the sandbox), else ours
 * for each format (Meta lists codes without it; GET /admin/qr-codes/:code/image asks for it).
 */
function qrImages(qr: QrCode): string {
  if (typeof qr.qr_image_url === 'string') {
    return link(qr.qr_image_url, /\.svg(\?|$)/i.test(qr.qr_image_url) ? 'SVG' : 'PNG', 'qr-image');
  }
  const ours = (format: 'PNG' | 'SVG') =>
    `<a href="/admin/qr-codes/${encodeURIComponent(qr.code)}/image?format=${format}" data-testid="qr-image-${format.toLowerCase()}">${format}</a>`;
  return `${ours('PNG')} ${ours('SVG')}`;
}

function qrSection(qrCodes: QrCode[]): string {
  const rows = qrCodes
    .map(
      (qr) => `<tr data-testid="qr-code" data-code="${escape(qr.code)}">
  <td>${escape(qr.code)}</td><td data-testid="qr-message">${escape(qr.prefilled_message)}</td>
  <td>${link(qr.deep_link_url, qr.deep_link_url, 'qr-link')}</td>
  <td>${qrImages(qr)}</td>
  <td><form class="inline" method="post" action="/admin/qr-codes/${encodeURIComponent(qr.code)}/delete"><button type="submit" data-testid="qr-delete">Delete</button></form></td>
</tr>`,
    )
    .join('\n');
  return `<section id="qr-codes"><h2>QR codes and message links</h2>
<form method="post" action="/admin/qr-codes" data-testid="qr-form">
<label>Prefilled message <input type="text" name="prefilled_message" maxlength="140" required data-testid="qr-message-input"></label>
<label>Image <select name="format" data-testid="qr-format"><option>PNG</option><option>SVG</option></select></label>
<button type="submit" data-testid="qr-create">Create QR code</button>
</form>
<table><thead><tr><th>code</th><th>prefilled message</th><th>link</th><th>image</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
}

function blockedSection(blocked: BlockedUser[]): string {
  const rows = blocked
    .map((user) => {
      const id = String(user.wa_id ?? user.user_id ?? '');
      return `<tr data-testid="blocked-user" data-user="${escape(id)}"><td>${escape(id)}</td>
  <td><form class="inline" method="post" action="/admin/blocked-users/${encodeURIComponent(id)}/unblock"><button type="submit" data-testid="unblock">Unblock</button></form></td></tr>`;
    })
    .join('\n');
  return `<section id="blocked-users"><h2>Blocked users</h2>
<form method="post" action="/admin/blocked-users" data-testid="block-form">
<label>Phone number <input type="text" name="users" required placeholder="15551234567" data-testid="block-user-input"></label>
<button type="submit" data-testid="block-submit">Block</button>
</form>
<p>Meta blocks only users who wrote to this number in the last 24 hours.</p>
<table><tbody>
${rows}
</tbody></table></section>`;
}

const VIA: Record<AdminVia, string> = {
  open: 'open in sandbox mode (set SAMPLE_ADMIN_TOKEN to require a token)',
  bearer: 'signed in with the bearer token',
  session: 'signed in',
};

/** GET /admin: the profile, QR codes and blocked users of the module's number, each with its form. */
export function renderAdminPage(view: AdminPageView): string {
  const logout =
    view.via === 'session'
      ? ' <form class="inline" method="post" action="/admin/logout"><button type="submit" data-testid="logout">Log out</button></form>'
      : '';
  const notice = view.notice
    ? `<p class="notice" role="status" data-testid="notice">${escape(view.notice)}</p>`
    : '';
  return page(
    'Account management',
    `<h1>Account management</h1>
<p>${view.phoneNumberId ? `Number ${escape(view.phoneNumberId)}: ` : ''}${VIA[view.via]}.${logout}</p>
${notice}
${profileSection(view.profile)}
${qrSection(view.qrCodes)}
${blockedSection(view.blocked)}`,
  );
}

/** GET /admin/login, and what a form gets when its session is missing or the token was wrong. */
export function renderLoginPage(error?: string): string {
  return page(
    'Account management: log in',
    `<h1>Account management</h1>
${error ? `<p class="error" role="alert" data-testid="error">${escape(error)}</p>` : ''}
<form method="post" action="/admin/login" data-testid="login-form">
<label>SAMPLE_ADMIN_TOKEN <input type="password" name="token" required autocomplete="current-password" data-testid="login-token"></label>
<button type="submit" data-testid="login-submit">Log in</button>
</form>`,
  );
}

/** A failed form: the status, the reason (Meta's code when Meta refused) and the way back. */
export function renderErrorPage(status: number, message: string, code?: number): string {
  return page(
    `Error ${status}`,
    `<h1>Error ${status}</h1>
<p class="error" role="alert" data-testid="error" data-status="${status}"${code === undefined ? '' : ` data-code="${code}"`}>${escape(message)}${code === undefined ? '' : ` (code ${code})`}</p>
<p><a href="/admin">Back to account management</a></p>`,
  );
}
