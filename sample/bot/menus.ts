import type { OutgoingMessage } from 'nestjs-whatsapp-cloud';

/** Ids of the menu's reply buttons and list rows: what comes back in `button_reply.id` / `list_reply.id`. */
export const MENU = {
  hours: 'menu:hours',
  address: 'menu:address',
  plans: 'menu:plans',
} as const;

export const PLANS = [
  { id: 'plan:starter', title: 'Starter', description: '1 number, 1 000 conversations a month' },
  { id: 'plan:growth', title: 'Growth', description: '3 numbers, 10 000 conversations a month' },
  { id: 'plan:scale', title: 'Scale', description: 'Unlimited numbers, priority support' },
] as const;

export const SHOP_LOCATION = {
  latitude: 48.8584,
  longitude: 2.2945,
  name: 'Sample Shop',
  address: 'Champ de Mars, 5 Av. Anatole France, Paris',
};

/** Three reply buttons (Meta's maximum; titles ≤ 20 characters). */
export function mainMenu(): OutgoingMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      header: { type: 'text', text: 'Menu' },
      body: { text: 'What would you like to do?' },
      footer: { text: 'Sample bot' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: MENU.hours, title: 'Opening hours' } },
          { type: 'reply', reply: { id: MENU.address, title: 'Where are you?' } },
          { type: 'reply', reply: { id: MENU.plans, title: 'See our plans' } },
        ],
      },
    },
  };
}

/** A list message: one section of rows (titles ≤ 24, descriptions ≤ 72 characters). */
export function plansList(): OutgoingMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      header: { type: 'text', text: 'Plans' },
      body: { text: 'Pick the plan that fits you.' },
      action: {
        button: 'Choose a plan',
        sections: [{ title: 'Plans', rows: PLANS.map((plan) => ({ ...plan })) }],
      },
    },
  };
}
