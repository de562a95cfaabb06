// Rendering of chat bubbles the way WhatsApp shows them. Pure DOM building; actions come in as callbacks.
import { newInteractiveParts, unsupportedBubble } from './render-shapes.js';
import { renderTemplate, templateSummary } from './render-template.js';

/** Creates an element: h('div', { class: 'x', 'data-testid': 'y', onclick }, ...children). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value);
    else if (key === 'html') el.innerHTML = value;
    // Through the CSSOM: the page's CSP refuses style attributes.
    else if (key === 'style') el.style.cssText = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function escapeHtml(text) {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

/** WhatsApp text formatting: *bold* _italic_ ~strike~ ```mono``` `code`, > quotes, links. Returns safe HTML. */
export function formatWhatsApp(text) {
  const blocks = [];
  const keep = (html) => `\u0000${blocks.push(html) - 1}\u0000`;
  let s = escapeHtml(String(text));
  s = s.replace(/```([\s\S]+?)```/g, (_, code) => keep(`<code class="mono">${code}</code>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code class="inline">${code}</code>`));
  s = s.replace(/\bhttps?:\/\/[^\s<]+[^\s<.,;:!?)\]'"]/g, (url) =>
    keep(`<a href="${url}" target="_blank" rel="noopener noreferrer">${url}</a>`),
  );
  const inline = (marker, tag) => {
    const m = marker.replace(/[*~]/g, '\\$&');
    const re = new RegExp(
      `(^|[\\s(\\u0000])${m}(?=\\S)([^\\n]*?\\S)${m}(?=$|[\\s.,!?;:)\\u0000])`,
      'gm',
    );
    s = s.replace(re, (_, before, inner) => `${before}<${tag}>${inner}</${tag}>`);
  };
  inline('*', 'strong');
  inline('_', 'em');
  inline('~', 'del');
  s = s.replace(/^&gt; (.*)$/gm, '<blockquote class="wa-quote">$1</blockquote>');
  s = s.replace(/\n/g, '<br>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => blocks[Number(i)]);
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The URL when it is http(s), else undefined: a bot's `javascript:` or `data:` URL never reaches an href. */
export function safeHttpUrl(url) {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A URL button (🔗 label) that opens `url` in a new tab, only when it is http(s) (safeHttpUrl). */
export function urlButton(url, testId, label) {
  return h(
    'a',
    { href: safeHttpUrl(url), target: '_blank', rel: 'noopener noreferrer', 'data-testid': testId },
    `🔗 ${label}`,
  );
}

/** Where the page loads a bot's media from: the sandbox for uploaded ids, else an http(s) link. */
export function mediaSrc(media) {
  if (!media) return undefined;
  if (media.id) return `/sandbox/api/media/${encodeURIComponent(media.id)}`;
  return safeHttpUrl(media.link);
}

export function renderMedia(type, media) {
  const src = mediaSrc(media);
  const parts = [];
  if (type === 'image' || type === 'sticker') {
    parts.push(
      h('img', {
        class: 'media',
        src,
        alt: media.caption ?? type,
        'data-testid': 'message-image',
        loading: 'lazy',
      }),
    );
  } else if (type === 'video') {
    parts.push(h('video', { class: 'media', src, controls: true, 'data-testid': 'message-video' }));
  } else if (type === 'audio') {
    parts.push(h('audio', { src, controls: true, 'data-testid': 'message-audio' }));
  } else if (type === 'document') {
    const name = media.filename ?? (media.link ? media.link.split('/').pop() : 'document');
    parts.push(
      h(
        'a',
        {
          class: 'doc-card',
          href: src,
          download: name,
          target: '_blank',
          'data-testid': 'message-document',
        },
        h('span', {}, '📄'),
        h('span', {}, name),
      ),
    );
  }
  if (media.caption)
    parts.push(
      h('div', {
        class: 'body',
        'data-testid': 'message-text',
        html: formatWhatsApp(media.caption),
      }),
    );
  return parts;
}

function renderLocation(location) {
  const lat = Number(location.latitude);
  const lng = Number(location.longitude);
  return h(
    'a',
    {
      class: 'location-card',
      'data-testid': 'message-location',
      href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`,
      target: '_blank',
      rel: 'noopener noreferrer',
    },
    h('strong', {}, `📍 ${location.name ?? 'Location'}`),
    location.address ? h('span', {}, location.address) : null,
    h('small', {}, `${lat.toFixed(5)}, ${lng.toFixed(5)}`),
  );
}

function renderContacts(contacts) {
  return contacts.map((c) =>
    h(
      'div',
      { class: 'contact-card', 'data-testid': 'message-contact' },
      h('span', {}, '👤'),
      h(
        'div',
        {},
        h('strong', {}, c.name?.formatted_name ?? 'Contact'),
        ...(c.phones ?? []).map((p) => h('div', {}, p.phone ?? p.wa_id ?? '')),
      ),
    ),
  );
}

/** A short text for quotes, the sidebar preview and the reply banner. */
export function summary(message) {
  const p = message.payload ?? {};
  switch (message.type) {
    case 'text':
      return p.text?.body ?? '';
    case 'image':
    case 'video':
    case 'audio':
    case 'sticker':
    case 'document':
      return `${{ image: '📷', video: '🎥', audio: '🎵', sticker: '💟', document: '📄' }[message.type]} ${p[message.type]?.caption ?? p[message.type]?.filename ?? message.type}`;
    case 'location':
      return `📍 ${p.location?.name ?? 'Location'}`;
    case 'contacts':
      return `👤 ${p.contacts?.[0]?.name?.formatted_name ?? 'Contact'}`;
    case 'interactive': {
      const i = p.interactive ?? {};
      return (
        i.body?.text ??
        i.button_reply?.title ??
        i.list_reply?.title ??
        i.nfm_reply?.body ??
        (i.call_permission_reply ? `📞 Calls: ${i.call_permission_reply.response}` : undefined) ??
        'Interactive message'
      );
    }
    case 'button':
      return p.button?.text ?? '';
    case 'template':
      return `📋 ${templateSummary(message)}`;
    case 'reaction':
      return `Reacted ${p.reaction?.emoji ?? ''}`;
    default:
      return message.type;
  }
}

function renderInteractive(message, actions) {
  const i = message.payload.interactive ?? {};
  const parts = [];
  if (i.header) {
    if (i.header.type === 'text') parts.push(h('div', { class: 'header-text' }, i.header.text));
    else if (i.header[i.header.type])
      parts.push(...renderMedia(i.header.type, i.header[i.header.type]));
  }
  if (i.body?.text)
    parts.push(
      h('div', { class: 'body', 'data-testid': 'message-text', html: formatWhatsApp(i.body.text) }),
    );
  if (i.footer?.text) parts.push(h('div', { class: 'footer' }, i.footer.text));
  const a = i.action ?? {};
  let buttons = [];
  if (i.type === 'button') {
    buttons = (a.buttons ?? []).map((b) =>
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'interactive-button',
          'data-button-id': b.reply?.id,
          onclick: () =>
            actions.send({
              type: 'button_reply',
              message_id: message.id,
              id: b.reply.id,
              title: b.reply.title,
            }),
        },
        b.reply?.title,
      ),
    );
  } else if (i.type === 'list') {
    buttons = [
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'list-open-button',
          onclick: () => actions.openList(message),
        },
        `☰ ${a.button ?? 'Menu'}`,
      ),
    ];
  } else if (i.type === 'cta_url') {
    const p = a.parameters ?? {};
    buttons = [urlButton(p.url, 'cta-url-button', p.display_text)];
  } else if (i.type === 'location_request_message') {
    buttons = [
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'send-location-button',
          onclick: () => actions.shareLocation(),
        },
        '📍 Send location',
      ),
    ];
  } else {
    const extra = newInteractiveParts(message, i, actions);
    if (extra === undefined) return [...parts, ...unsupportedBubble('Interactive type', i.type)];
    parts.push(...extra);
  }
  if (buttons.length > 0) parts.push(h('div', { class: 'buttons' }, buttons));
  return parts;
}

function renderUserInteractive(message) {
  const p = message.payload;
  if (message.type === 'button')
    return [h('div', { class: 'body', 'data-testid': 'message-text' }, p.button?.text ?? '')];
  const i = p.interactive ?? {};
  const reply = i.button_reply ?? i.list_reply ?? {};
  const permission = i.call_permission_reply?.response;
  const title =
    reply.title ??
    i.nfm_reply?.body ??
    (permission ? (permission === 'accept' ? '📞 Allowed calls' : '🚫 Declined calls') : '');
  const parts = [h('div', { class: 'body', 'data-testid': 'message-text' }, title)];
  if (reply.description) parts.push(h('div', { class: 'footer' }, reply.description));
  return parts;
}

function content(message, actions) {
  const p = message.payload ?? {};
  switch (message.type) {
    case 'text':
      return [
        h('div', {
          class: 'body',
          'data-testid': 'message-text',
          html: formatWhatsApp(p.text?.body ?? ''),
        }),
      ];
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return renderMedia(message.type, p[message.type] ?? {});
    case 'location':
      return [renderLocation(p.location ?? {})];
    case 'contacts':
      return renderContacts(p.contacts ?? []);
    case 'interactive':
      return message.from === 'bot'
        ? renderInteractive(message, actions)
        : renderUserInteractive(message);
    case 'button':
      return renderUserInteractive(message);
    case 'template':
      return renderTemplate(message, actions);
    default:
      return unsupportedBubble('Message type', message.type);
  }
}

const TICKS = { accepted: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

/** One bubble. `quoted` is the message it replies to, if known. */
export function renderMessage(message, quoted, actions) {
  const reactions = [message.reactions?.user, message.reactions?.bot].filter(Boolean);
  const classes = ['msg', `from-${message.from}`];
  if (reactions.length) classes.push('has-reaction');
  if (message.status === 'failed') classes.push('failed');
  const bubble = h('div', {
    class: classes.join(' '),
    'data-testid': 'message-bubble',
    'data-message-id': message.id,
    'data-from': message.from,
    'data-type': message.type,
    'data-status': message.status,
  });
  if (quoted) {
    bubble.append(
      h(
        'div',
        { class: 'quote', 'data-testid': 'quoted-message', 'data-quoted-id': quoted.id },
        h(
          'div',
          { class: 'quote-author' },
          quoted.from === 'user' ? 'You' : actions.businessName(),
        ),
        h('div', {}, summary(quoted)),
      ),
    );
  }
  bubble.append(...content(message, actions));
  if (message.error) {
    bubble.append(
      h(
        'div',
        { class: 'error', 'data-testid': 'message-error' },
        `Not delivered: (#${message.error.code}) ${message.error.title}`,
      ),
    );
  }
  const meta = h('span', { class: 'meta' }, time(message.at));
  if (message.from === 'user') {
    meta.append(
      h(
        'span',
        {
          class: 'ticks',
          'data-testid': 'message-ticks',
          'data-status': message.status,
          title: message.status,
        },
        TICKS[message.status] ?? '',
      ),
    );
  }
  bubble.append(meta);
  if (reactions.length)
    bubble.append(
      h('div', { class: 'reactions', 'data-testid': 'reaction-badge' }, reactions.join('')),
    );
  const tools = [
    h(
      'button',
      {
        type: 'button',
        class: 'icon-button',
        title: 'Reply',
        'data-testid': 'reply-button',
        onclick: () => actions.reply(message),
      },
      '↩',
    ),
  ];
  if (message.from === 'bot') {
    tools.push(
      h(
        'button',
        {
          type: 'button',
          class: 'icon-button',
          title: 'React',
          'data-testid': 'react-button',
          onclick: (e) => actions.react(message, e.currentTarget),
        },
        '☺',
      ),
    );
  }
  bubble.append(h('div', { class: 'msg-actions' }, tools));
  return bubble;
}

/** One entry of the debug panel. */
export function renderTraffic(entry) {
  const ok = entry.status === 200;
  const details = h(
    'details',
    { class: 'traffic-entry', 'data-testid': 'traffic-entry', 'data-direction': entry.direction },
    h(
      'summary',
      {},
      h('span', { class: 'dir' }, entry.direction === 'graph' ? '→ API' : '← HOOK'),
      h('span', {}, entry.method),
      h('span', { class: 'path', title: entry.path }, entry.path),
      h('span', { class: `status ${ok ? 'ok' : 'bad'}` }, entry.status ?? '—'),
    ),
  );
  const block = (label, value) =>
    value === undefined
      ? null
      : h(
          'pre',
          {},
          `${label}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`,
        );
  details.append(
    ...[
      entry.note ? h('pre', {}, entry.note) : null,
      block('request', entry.request),
      block('response', entry.response),
    ].filter(Boolean),
  );
  return details;
}
