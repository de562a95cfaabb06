// The sandbox chat page: you play the WhatsApp user. State comes from /sandbox/api/state, then live over SSE.
import { h, renderMessage, renderTraffic, summary } from './render.js';
import { openFlow } from './flows.js';
import { installGroups } from './groups.js';
import { installCalls } from './calls.js';

const API = '/sandbox/api';
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const EMOJIS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

const state = {
  business: null,
  // Every business (tenant) of the sandbox; with several, a picker chooses the one the user talks to.
  businesses: [],
  businessId: null,
  users: new Map(),
  messages: new Map(),
  templates: new Map(),
  traffic: [],
  current: null,
  replyTo: null,
  typing: new Map(),
  unread: new Map(),
  groups: new Map(),
  calls: new Map(),
};

async function api(method, path, body, headers) {
  const init = { method, headers: headers ?? {} };
  if (body !== undefined) {
    if (body instanceof Blob) init.body = body;
    else {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
  }
  // The user's actions go to the picked business (one business: the URL stays as it always was).
  const url = new URL(`${API}${path}`, location.origin);
  if (method === 'POST' && state.businesses.length > 1 && state.businessId) {
    url.searchParams.set('business', state.businessId);
  }
  const res = await fetch(url, init);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function showError(error) {
  const bar = $('error-bar');
  bar.textContent = error instanceof Error ? error.message : String(error);
  bar.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => (bar.hidden = true), 5000);
}

// ---- actions of the simulated user ----
const actions = {
  businessName: () => state.business?.name ?? 'Business',
  send(input) {
    if (!state.current) return;
    if (groups.isGroup(state.current)) return groups.send(input);
    api('POST', `/users/${state.current}/messages`, input).catch(showError);
  },
  openFlow(message) {
    if (!state.current) return;
    openFlow(message, state.current, showError).catch(showError);
  },
  reply(message) {
    state.replyTo = message;
    const preview = $('reply-preview');
    preview.querySelector('.reply-preview-text').textContent = summary(message);
    preview.hidden = false;
    $('message-input').focus();
  },
  react(message, anchor) {
    const picker = $('reaction-picker');
    picker.replaceChildren(
      ...EMOJIS.map((emoji) =>
        h(
          'button',
          {
            type: 'button',
            class: message.reactions?.user === emoji ? 'chosen' : undefined,
            'data-testid': 'reaction-option',
            'data-emoji': emoji,
            onclick: () => {
              picker.hidden = true;
              // Tapping your current reaction again removes it, as on a phone.
              actions.send({
                type: 'reaction',
                message_id: message.id,
                emoji: message.reactions?.user === emoji ? '' : emoji,
              });
            },
          },
          emoji,
        ),
      ),
    );
    const box = anchor.getBoundingClientRect();
    picker.style.left = `${Math.max(8, box.left - 120)}px`;
    picker.style.top = `${Math.max(8, box.top - 44)}px`;
    picker.hidden = false;
  },
  openList(message) {
    const i = message.payload.interactive;
    const sheet = $('list-sheet');
    sheet.querySelector('.sheet-title').textContent = i.action.button;
    sheet.querySelector('.sheet-body').replaceChildren(
      ...i.action.sections.flatMap((section) => [
        section.title ? h('div', { class: 'sheet-section' }, section.title) : null,
        ...section.rows.map((row) =>
          h(
            'button',
            {
              type: 'button',
              class: 'list-row',
              'data-testid': 'list-row',
              'data-row-id': row.id,
              onclick: () => {
                sheet.close();
                actions.send({
                  type: 'list_reply',
                  message_id: message.id,
                  id: row.id,
                  title: row.title,
                  description: row.description,
                });
              },
            },
            h('div', {}, row.title),
            row.description ? h('div', { class: 'row-description' }, row.description) : null,
          ),
        ),
      ]),
    );
    sheet.showModal();
  },
  shareLocation() {
    $('location-dialog').showModal();
  },
};

/** Whether a message, group or call belongs to the picked business (always, with one business). */
function ofBusiness(item) {
  return (
    state.businesses.length < 2 || !item.phoneNumberId || item.phoneNumberId === state.businessId
  );
}

// ---- rendering ----
function renderBusiness() {
  const business = state.businesses.find((b) => b.phoneNumberId === state.businessId);
  if (business) {
    state.business = { ...state.business, name: business.verifiedName, ...business };
  }
  $('business-name').textContent = state.business.name;
  $('business-number').textContent =
    `+${state.business.displayPhoneNumber} · ${state.business.phoneNumberId}`;
  const picker = $('business-picker');
  picker.hidden = state.businesses.length < 2;
  if (picker.hidden) return;
  picker.replaceChildren(
    ...state.businesses.map((b) =>
      h(
        'option',
        { value: b.phoneNumberId, selected: b.phoneNumberId === state.businessId ? '' : undefined },
        `${b.verifiedName} (+${b.displayPhoneNumber})`,
      ),
    ),
  );
  picker.value = state.businessId;
}

function pickBusiness(phoneNumberId) {
  if (!state.businesses.some((b) => b.phoneNumberId === phoneNumberId)) return;
  state.businessId = phoneNumberId;
  state.unread.clear();
  renderBusiness();
  // A group belongs to one business: back to the first user's chat when it is another's.
  const group = state.groups.get(state.current);
  select(group && !ofBusiness(group) ? ([...state.users.keys()][0] ?? null) : state.current);
}

function renderUsers() {
  const list = $('user-list');
  list.replaceChildren(
    ...[...state.users.values()].map((user) => {
      const chat = chatOf(user.wa_id);
      const last = chat[chat.length - 1];
      const unread = state.unread.get(user.wa_id) ?? 0;
      return h(
        'button',
        {
          type: 'button',
          class: `user-tab${user.wa_id === state.current ? ' active' : ''}`,
          'data-testid': 'user-tab',
          'data-wa-id': user.wa_id,
          onclick: () => select(user.wa_id),
        },
        h(
          'div',
          { class: 'avatar', style: `background:${colorOf(user.wa_id)}` },
          initials(user.name),
        ),
        h(
          'div',
          { class: 'who' },
          h('div', { class: 'name' }, user.name),
          h('div', { class: 'preview' }, last ? summary(last) : `+${user.wa_id}`),
        ),
        unread > 0
          ? h('span', { class: 'unread-badge', 'data-testid': 'unread-badge' }, unread)
          : null,
      );
    }),
  );
}

function chatOf(waId) {
  return [...state.messages.values()]
    .filter((m) => m.waId === waId && m.type !== 'reaction' && ofBusiness(m))
    .sort((a, b) => a.at - b.at);
}

function renderChat() {
  const user = state.users.get(state.current);
  const inGroup = groups.header();
  if (!inGroup) {
    $('chat-name').textContent = user?.name ?? '';
    $('chat-subtitle').textContent = user ? `+${user.wa_id}` : '';
    const avatar = $('chat-avatar');
    avatar.textContent = user ? initials(user.name) : '';
    avatar.style.background = user ? colorOf(user.wa_id) : '';
  }
  calls.render();
  const list = $('message-list');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const chat = user || inGroup ? chatOf(state.current) : [];
  list.replaceChildren(
    ...(chat.length === 0
      ? [
          h(
            'div',
            { class: 'empty-chat', 'data-testid': 'empty-chat' },
            'You are this WhatsApp user. Say hi to the bot.',
          ),
        ]
      : chat.map((m) =>
          groups.decorate(
            m,
            renderMessage(m, m.contextId ? state.messages.get(m.contextId) : undefined, actions),
          ),
        )),
  );
  if (atBottom || chat.length > 0) list.scrollTop = list.scrollHeight;
  renderTyping();
}

function renderTyping() {
  const until = state.typing.get(state.current) ?? 0;
  const indicator = $('typing-indicator');
  indicator.hidden = until <= Date.now();
  if (!indicator.hidden) setTimeout(renderTyping, until - Date.now() + 50);
}

function renderTrafficEntry(entry) {
  $('traffic-list').prepend(renderTraffic(entry));
}

function initials(name) {
  return (
    name
      .replace(/[^\p{L}\p{N} ]/gu, '')
      .split(' ')
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0])
      .join('')
      .toUpperCase() || '#'
  );
}

function colorOf(waId) {
  const colors = ['#06cf9c', '#53bdeb', '#ff8a65', '#a78bfa', '#f59e0b', '#ec4899'];
  return colors[[...waId].reduce((n, c) => n + c.charCodeAt(0), 0) % colors.length];
}

// ---- read receipts: the user "opens" the chat ----
let readPending = false;
function markChatRead() {
  if (!state.current || document.visibilityState !== 'visible' || readPending) return;
  if (groups.isGroup(state.current)) return; // group messages are read on the sandbox's timer
  const unread = chatOf(state.current).some(
    (m) => m.from === 'bot' && ['accepted', 'sent', 'delivered'].includes(m.status),
  );
  if (!unread) return;
  readPending = true;
  api('POST', `/users/${state.current}/read`)
    .catch(showError)
    .finally(() => (readPending = false));
}

function select(waId) {
  state.current = waId;
  state.replyTo = null;
  $('reply-preview').hidden = true;
  state.unread.set(waId, 0);
  history.replaceState(null, '', `#${waId}`);
  renderUsers();
  groups.render();
  renderChat();
  markChatRead();
}

// ---- live updates ----
function applyEvent(kind, event) {
  if (kind === 'message') {
    const m = event.message;
    const isNew = !state.messages.has(m.id);
    state.messages.set(m.id, m);
    if (!ofBusiness(m)) return;
    if (isNew && m.from === 'bot' && m.type !== 'reaction' && m.waId !== state.current) {
      state.unread.set(m.waId, (state.unread.get(m.waId) ?? 0) + 1);
    }
    if (m.waId === state.current) {
      renderChat();
      if (m.from === 'bot') markChatRead();
    }
    renderUsers();
    groups.render();
  } else if (kind === 'group') {
    groups.apply(event.group);
  } else if (kind === 'call') {
    calls.apply(event.call);
  } else if (kind === 'user') {
    state.users.set(event.user.wa_id, event.user);
    if (!state.current) select(event.user.wa_id);
    renderUsers();
  } else if (kind === 'typing') {
    if (!ofBusiness(event)) return;
    state.typing.set(event.waId, event.until);
    if (event.waId === state.current) renderTyping();
  } else if (kind === 'template') {
    state.templates.set(event.template.id, event.template);
  } else if (kind === 'traffic') {
    state.traffic.push(event.entry);
    renderTrafficEntry(event.entry);
  }
}

async function loadState() {
  const s = await api('GET', '/state');
  state.business = s.business;
  state.businesses = s.businesses ?? [];
  if (!state.businesses.some((b) => b.phoneNumberId === state.businessId)) {
    state.businessId = state.businesses[0]?.phoneNumberId ?? null;
  }
  state.users = new Map(s.users.map((u) => [u.wa_id, u]));
  state.messages = new Map(s.messages.map((m) => [m.id, m]));
  state.templates = new Map(s.templates.map((t) => [t.id, t]));
  state.traffic = s.traffic;
  state.groups = new Map((s.groups ?? []).map((g) => [g.id, g]));
  state.calls = new Map((s.calls ?? []).map((c) => [c.id, c]));
  renderBusiness();
  $('debug-webhook-url').textContent = s.business.webhookUrl
    ? `webhook → ${s.business.webhookUrl}`
    : 'no webhookUrl: nothing is delivered';
  $('traffic-list').replaceChildren();
  for (const entry of s.traffic) renderTrafficEntry(entry);
  const wanted = location.hash.slice(1);
  const known = (id) => state.users.has(id) || state.groups.has(id);
  select(
    known(wanted)
      ? wanted
      : state.current && known(state.current)
        ? state.current
        : ([...state.users.keys()][0] ?? null),
  );
}

function connect() {
  const source = new EventSource(`${API}/events`);
  const status = $('sse-status');
  source.addEventListener('open', () => {
    status.classList.add('live');
    // Catch up on anything missed while disconnected.
    loadState().catch(showError);
  });
  source.addEventListener('error', () => status.classList.remove('live'));
  for (const kind of ['message', 'user', 'typing', 'template', 'traffic', 'group', 'call']) {
    source.addEventListener(kind, (e) => applyEvent(kind, JSON.parse(e.data)));
  }
}

// ---- composer and controls ----
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('message-input');
  const body = input.value;
  if (!body.trim() || !state.current) return;
  input.value = '';
  const replyTo = state.replyTo?.id;
  state.replyTo = null;
  $('reply-preview').hidden = true;
  actions.send({ type: 'text', body, replyTo });
});

$('reply-cancel').addEventListener('click', () => {
  state.replyTo = null;
  $('reply-preview').hidden = true;
});

$('attach-button').addEventListener('click', () => $('file-input').click());
$('file-input').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  e.target.value = '';
  if (!file || !state.current) return;
  const input = $('message-input');
  const caption = input.value.trim();
  input.value = '';
  const query = new URLSearchParams({ filename: file.name });
  if (caption) query.set('caption', caption);
  api('POST', `/users/${state.current}/files?${query}`, file, {
    'content-type': file.type || 'application/octet-stream',
  }).catch(showError);
});

$('location-button').addEventListener('click', () => actions.shareLocation());
$('location-dialog').addEventListener('close', () => {
  const dialog = $('location-dialog');
  if (dialog.returnValue !== 'send') return;
  const form = dialog.querySelector('form');
  const data = Object.fromEntries(new FormData(form));
  actions.send({
    type: 'location',
    latitude: Number(data.latitude),
    longitude: Number(data.longitude),
    name: data.name || undefined,
    address: data.address || undefined,
  });
});

$('list-close').addEventListener('click', () => $('list-sheet').close());

$('add-user-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = e.target;
  const data = Object.fromEntries(new FormData(form));
  api('POST', '/users', { name: data.name, wa_id: data.wa_id || undefined })
    .then((user) => {
      form.reset();
      state.users.set(user.wa_id, user);
      select(user.wa_id);
    })
    .catch(showError);
});

$('business-picker').addEventListener('change', (e) => pickBusiness(e.target.value));

$('debug-toggle').addEventListener('click', () => {
  const panel = $('debug-panel');
  panel.hidden = !panel.hidden;
});
$('debug-clear').addEventListener('click', () => $('traffic-list').replaceChildren());

document.addEventListener('click', (e) => {
  const picker = $('reaction-picker');
  if (
    !picker.hidden &&
    !picker.contains(e.target) &&
    !e.target.closest('[data-testid="react-button"]')
  )
    picker.hidden = true;
});
document.addEventListener('visibilitychange', markChatRead);

// Group chats and calls (groups.js, calls.js) share the page's state and helpers.
const groups = installGroups({
  state,
  api,
  $,
  select,
  renderChat,
  showError,
  colorOf,
  chatOf,
  ofBusiness,
});
const calls = installCalls({ state, api, $, showError, ofBusiness });

loadState().then(connect, (error) => {
  showError(error);
  connect();
});
