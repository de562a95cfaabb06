// The 2025–26 message shapes: carousels, contact/call requests, catalogs, orders, flows, offers.
// What the sandbox can answer sends Meta's webhook back; the rest is drawn and marked "not supported".
import { formatWhatsApp, h, mediaSrc, urlButton } from './render.js';

/** A note under a shape the sandbox draws but cannot act on. */
export function unsupportedNote(text) {
  return h('div', { class: 'unsupported-note', 'data-testid': 'unsupported-note' }, text);
}

/** The generic bubble of a type (or interactive type) the sandbox does not know. */
export function unsupportedBubble(what, type, bodyText) {
  return [
    bodyText
      ? h('div', { class: 'body', 'data-testid': 'message-text', html: formatWhatsApp(bodyText) })
      : null,
    h(
      'div',
      { class: 'unsupported', 'data-testid': 'unsupported-message', 'data-unsupported-type': type },
      `⚠️ ${what} "${type}" is not supported in the sandbox`,
    ),
  ].filter(Boolean);
}

function disabled(testid, label, why) {
  return h('button', { type: 'button', disabled: true, title: why, 'data-testid': testid }, label);
}

function money(amount, currency) {
  if (!amount || typeof amount.value !== 'number') return '';
  const value = amount.value / (Number(amount.offset) || 1);
  return `${currency ?? ''} ${value.toFixed(2)}`.trim();
}

function cardHeader(header) {
  if (!header) return null;
  const src = mediaSrc(header[header.type]);
  if (header.type === 'image')
    return h('img', { class: 'card-media', src, alt: 'card', 'data-testid': 'card-image' });
  if (header.type === 'video')
    return h('video', { class: 'card-media', src, controls: true, 'data-testid': 'card-video' });
  return null;
}

function productBox(retailerId, catalogId) {
  return h(
    'div',
    { class: 'product-box', 'data-testid': 'product-card', 'data-retailer-id': retailerId },
    h('span', { class: 'product-icon' }, '🛍️'),
    h(
      'div',
      {},
      h('strong', {}, retailerId ?? 'Product'),
      catalogId ? h('small', {}, `catalog ${catalogId}`) : null,
    ),
  );
}

/** A horizontally swipeable row of cards. */
export function carouselRow(cards) {
  return h('div', { class: 'carousel', 'data-testid': 'carousel' }, cards);
}

function carouselCard(index, children) {
  return h(
    'div',
    { class: 'carousel-card', 'data-testid': 'carousel-card', 'data-card-index': index },
    children,
  );
}

/** Interactive carousel: media cards (cta_url or quick replies) and product cards. */
function interactiveCarousel(message, i, actions) {
  const cards = (i.action?.cards ?? []).map((card) => {
    const a = card.action ?? {};
    let buttons = [];
    if (card.type === 'cta_url') {
      const p = a.parameters ?? {};
      buttons = [urlButton(p.url, 'carousel-card-button', p.display_text ?? 'Open')];
    } else if (card.type === 'button') {
      buttons = (a.buttons ?? []).map((b) => {
        const reply = b.quick_reply ?? b.reply ?? {};
        return h(
          'button',
          {
            type: 'button',
            'data-testid': 'carousel-card-button',
            'data-button-id': reply.id,
            // A quick reply on a card answers like a reply button: interactive.button_reply.
            onclick: () =>
              actions.send({
                type: 'button_reply',
                message_id: message.id,
                id: reply.id,
                title: reply.title,
              }),
          },
          reply.title ?? b.type,
        );
      });
    } else if (card.type === 'product') {
      buttons = [disabled('carousel-card-button', 'View', 'Catalogs are not emulated')];
    }
    return carouselCard(card.card_index, [
      card.type === 'product' ? productBox(a.product_retailer_id, a.catalog_id) : null,
      cardHeader(card.header),
      card.body?.text
        ? h('div', { class: 'card-body', html: formatWhatsApp(card.body.text) })
        : null,
      buttons.length ? h('div', { class: 'buttons' }, buttons) : null,
    ]);
  });
  return [carouselRow(cards)];
}

function orderCard(i) {
  const p = i.action?.parameters ?? {};
  const order = p.order ?? {};
  const items = (order.items ?? []).map((item) =>
    h(
      'div',
      { class: 'order-item' },
      h('span', {}, `${item.quantity ?? 1} × ${item.name ?? item.retailer_id}`),
      h('span', {}, money(item.sale_amount ?? item.amount, p.currency)),
    ),
  );
  return h(
    'div',
    { class: 'order-card', 'data-testid': 'order-card', 'data-reference-id': p.reference_id },
    h('strong', {}, `🧾 Order ${p.reference_id ?? ''}`),
    ...items,
    p.total_amount
      ? h(
          'div',
          { class: 'order-item order-total' },
          h('span', {}, 'Total'),
          h('span', {}, money(p.total_amount, p.currency)),
        )
      : null,
    order.status
      ? h(
          'small',
          {},
          `Status: ${order.status}${order.description ? ` · ${order.description}` : ''}`,
        )
      : null,
  );
}

/**
 * Parts (cards, buttons) of the interactive types added in 2025–26; undefined for a type this
 * page does not know.
 */
export function newInteractiveParts(message, i, actions) {
  const a = i.action ?? {};
  const buttons = (...list) => h('div', { class: 'buttons' }, list);
  switch (i.type) {
    case 'carousel':
      return interactiveCarousel(message, i, actions);
    case 'request_contact_info':
      return [
        buttons(
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'request-contact-button',
              onclick: () => actions.send({ type: 'contact_info', message_id: message.id }),
            },
            '👤 Share contact info',
          ),
        ),
      ];
    case 'call_permission_request':
      return [
        buttons(
          ...[
            ['accept', '📞 Allow calls'],
            ['reject', "Don't allow"],
          ].map(([response, label]) =>
            h(
              'button',
              {
                type: 'button',
                'data-testid': 'call-permission-button',
                'data-response': response,
                onclick: () =>
                  actions.send({ type: 'call_permission_reply', message_id: message.id, response }),
              },
              label,
            ),
          ),
        ),
      ];
    case 'voice_call':
      return [
        buttons(
          disabled(
            'voice-call-button',
            `📞 ${a.parameters?.display_text ?? 'Call on WhatsApp'}`,
            'Calls are not emulated by the sandbox',
          ),
        ),
        unsupportedNote('Calls are not emulated by the sandbox'),
      ];
    case 'catalog_message':
      return [
        a.parameters?.thumbnail_product_retailer_id
          ? productBox(a.parameters.thumbnail_product_retailer_id)
          : null,
        buttons(disabled('catalog-button', '🛒 View catalog', 'Catalogs are not emulated')),
        unsupportedNote('Catalogs are not emulated by the sandbox'),
      ].filter(Boolean);
    case 'product':
      return [
        productBox(a.product_retailer_id, a.catalog_id),
        buttons(disabled('catalog-button', 'View', 'Catalogs are not emulated')),
      ];
    case 'product_list':
      return [
        h(
          'div',
          { class: 'product-list', 'data-testid': 'product-list' },
          (a.sections ?? []).flatMap((section) => [
            section.title ? h('div', { class: 'sheet-section' }, section.title) : null,
            ...(section.product_items ?? []).map((item) =>
              productBox(item.product_retailer_id, a.catalog_id),
            ),
          ]),
        ),
        buttons(disabled('catalog-button', '🛒 View items', 'Catalogs are not emulated')),
      ];
    case 'order_details':
      return [
        orderCard(i),
        buttons(disabled('order-button', 'Review and pay', 'Payments are not emulated')),
        unsupportedNote('Payments are not emulated by the sandbox'),
      ];
    case 'order_status':
      return [orderCard(i)];
    case 'flow':
      return [
        buttons(
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'flow-cta-button',
              onclick: () => actions.openFlow(message),
            },
            a.parameters?.flow_cta ?? 'Open flow',
          ),
        ),
      ];
    case 'address_message':
      return [
        buttons(
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'address-button',
              onclick: () => actions.send({ type: 'address', message_id: message.id }),
            },
            '🏠 Provide address',
          ),
        ),
      ];
    default:
      return undefined;
  }
}
