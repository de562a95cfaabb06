// Template bubbles: the stored template filled with the send's parameters, including carousel
// cards, limited-time offers, coupon codes and authentication (one-time password) buttons.
import { formatWhatsApp, h, renderMedia, urlButton } from './render.js';
import { carouselRow, unsupportedNote } from './render-shapes.js';

const AUTH_BODY = '*{{1}}* is your verification code.';

const upper = (value) => String(value ?? '').toUpperCase();

/** Parameters of the sent component of this type (and button index) among `components`. */
function paramsIn(components, type, index) {
  const found = (components ?? []).find(
    (c) =>
      String(c.type).toLowerCase() === type && (index === undefined || Number(c.index) === index),
  );
  return found?.parameters ?? [];
}

function paramText(param) {
  if (typeof param.text === 'string') return param.text;
  if (typeof param.coupon_code === 'string') return param.coupon_code;
  const nested = param[param.type];
  if (nested && nested.fallback_value !== undefined) return String(nested.fallback_value);
  if (typeof param.payload === 'string') return param.payload;
  return '';
}

function fill(text, params) {
  return String(text ?? '').replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name) => {
    const param =
      params.find((p) => p.parameter_name === name) ??
      (/^\d+$/.test(name) ? params[Number(name) - 1] : undefined);
    return param ? paramText(param) : whole;
  });
}

function component(components, type) {
  return (components ?? []).find((c) => upper(c.type) === type);
}

function bodyOf(template, sent) {
  const body = component(template.components, 'BODY');
  const text = body?.text ?? (upper(template.category) === 'AUTHENTICATION' ? AUTH_BODY : '');
  return fill(text, paramsIn(sent, 'body'));
}

/** A short text for the sidebar and quotes. */
export function templateSummary(message) {
  if (!message.template) return message.payload?.template?.name ?? 'Template';
  return bodyOf(message.template, message.payload?.template?.components);
}

function copyButton(label, code, testid = 'template-button') {
  return h(
    'button',
    {
      type: 'button',
      'data-testid': testid,
      'data-copy-code': code,
      title: `Copies ${code}`,
      onclick: (e) => {
        const button = e.currentTarget;
        // Copying is local to the phone: Meta sends no webhook for it.
        navigator.clipboard?.writeText(code).catch(() => undefined);
        button.textContent = `✓ Copied ${code}`;
      },
    },
    `📋 ${label}`,
  );
}

/** The buttons of a template (or of one carousel card), with the parameters sent for them. */
function templateButtons(buttons, sent, message, actions) {
  return buttons.map((b, index) => {
    const type = upper(b.type);
    const param = paramsIn(sent, 'button', index)[0];
    if (type === 'URL') {
      return urlButton(fill(b.url, param ? [param] : []), 'template-button', b.text);
    }
    if (type === 'PHONE_NUMBER')
      return h(
        'a',
        { href: `tel:${b.phone_number}`, 'data-testid': 'template-button' },
        `📞 ${b.text}`,
      );
    if (type === 'QUICK_REPLY') {
      const payload = param?.payload ?? b.text;
      return h(
        'button',
        {
          type: 'button',
          'data-testid': 'template-button',
          'data-button-index': index,
          // A template quick reply (also on a carousel card) comes back as a `button` message.
          onclick: () =>
            actions.send({ type: 'button', message_id: message.id, payload, text: b.text }),
        },
        b.text,
      );
    }
    if (type === 'COPY_CODE')
      return copyButton(b.text ?? 'Copy offer code', paramText(param ?? {}));
    if (type === 'OTP') {
      // Copy code, one-tap and zero-tap all carry the code as the button's parameter.
      const label = b.text ?? (upper(b.otp_type) === 'COPY_CODE' ? 'Copy code' : 'Autofill');
      return copyButton(label, paramText(param ?? {}));
    }
    return h(
      'button',
      { type: 'button', disabled: true, title: 'Not emulated', 'data-testid': 'template-button' },
      b.text ?? type,
    );
  });
}

function header(def, sent) {
  if (!def) return [];
  const format = upper(def.format || 'TEXT');
  if (format === 'TEXT')
    return [
      h(
        'div',
        { class: 'header-text', 'data-testid': 'template-header' },
        fill(def.text, paramsIn(sent, 'header')),
      ),
    ];
  const param = paramsIn(sent, 'header')[0];
  const kind = format.toLowerCase();
  if (kind === 'product' && param?.product)
    return [
      h(
        'div',
        { class: 'product-box', 'data-testid': 'product-card' },
        h('span', { class: 'product-icon' }, '🛍️'),
        h('strong', {}, param.product.product_retailer_id ?? 'Product'),
      ),
    ];
  return param?.[kind] ? renderMedia(kind, { ...param[kind], caption: undefined }) : [];
}

/** The offer banner: its title and, when sent, when it ends. */
function limitedTimeOffer(def, sent) {
  const offer = def.limited_time_offer ?? {};
  const expiration = paramsIn(sent, 'limited_time_offer')[0]?.limited_time_offer
    ?.expiration_time_ms;
  const ends =
    typeof expiration === 'number'
      ? `Ends ${new Date(expiration).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}`
      : undefined;
  return h(
    'div',
    {
      class: 'lto',
      'data-testid': 'template-lto',
      'data-expiration-ms': typeof expiration === 'number' ? expiration : undefined,
    },
    h('strong', {}, `⏰ ${offer.text ?? 'Limited-time offer'}`),
    offer.has_expiration !== false && ends ? h('small', {}, ends) : null,
  );
}

function templateCarousel(def, sent, message, actions) {
  const given = (sent ?? []).find((c) => String(c.type).toLowerCase() === 'carousel')?.cards ?? [];
  const cards = (def.cards ?? []).map((card, index) => {
    const inner = given.find((c) => Number(c.card_index) === index)?.components ?? [];
    const body = component(card.components, 'BODY');
    const buttons = component(card.components, 'BUTTONS')?.buttons ?? [];
    return h(
      'div',
      { class: 'carousel-card', 'data-testid': 'carousel-card', 'data-card-index': index },
      header(component(card.components, 'HEADER'), inner).map((el) => {
        if (el.matches('img, video')) el.classList.add('card-media');
        else el.classList.add('card-header');
        return el;
      }),
      body?.text
        ? h('div', {
            class: 'card-body',
            html: formatWhatsApp(fill(body.text, paramsIn(inner, 'body'))),
          })
        : null,
      buttons.length
        ? h('div', { class: 'buttons' }, templateButtons(buttons, inner, message, actions))
        : null,
    );
  });
  return carouselRow(cards);
}

/** A template bubble; without the stored template (deleted since), just its name. */
export function renderTemplate(message, actions) {
  const t = message.template;
  if (!t) return [h('div', { class: 'body' }, `Template ${message.payload?.template?.name ?? ''}`)];
  const sent = message.payload?.template?.components ?? [];
  const parts = [...header(component(t.components, 'HEADER'), sent)];
  const lto = component(t.components, 'LIMITED_TIME_OFFER');
  if (lto) parts.push(limitedTimeOffer(lto, sent));
  parts.push(
    h('div', {
      class: 'body',
      'data-testid': 'message-text',
      html: formatWhatsApp(bodyOf(t, sent)),
    }),
  );
  const body = component(t.components, 'BODY');
  if (body?.add_security_recommendation)
    parts.push(h('div', { class: 'footer' }, 'For your security, do not share this code.'));
  const footer = component(t.components, 'FOOTER');
  if (footer?.text) parts.push(h('div', { class: 'footer' }, footer.text));
  else if (footer?.code_expiration_minutes)
    parts.push(
      h(
        'div',
        { class: 'footer' },
        `This code expires in ${footer.code_expiration_minutes} minutes.`,
      ),
    );
  const carousel = component(t.components, 'CAROUSEL');
  if (carousel) parts.push(templateCarousel(carousel, sent, message, actions));
  const buttons = component(t.components, 'BUTTONS')?.buttons ?? [];
  if (buttons.length > 0)
    parts.push(h('div', { class: 'buttons' }, templateButtons(buttons, sent, message, actions)));
  const known = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'CAROUSEL', 'LIMITED_TIME_OFFER'];
  for (const c of t.components) {
    if (!known.includes(upper(c.type)))
      parts.push(
        unsupportedNote(`Template component ${upper(c.type)} is not shown by the sandbox`),
      );
  }
  return parts;
}
