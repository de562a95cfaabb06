// Group chats on the sandbox page: groups the app created, their simulated members, writing as a
// member, and opening an invite link the bot sent in a 1:1 chat. Wired into app.js by installGroups().
import { h } from './render.js';

/**
 * `app`: { state, api, select, renderChat, showError, initials, colorOf, chatOf, ofBusiness, $ }.
 * Returns the hooks app.js calls.
 */
export function installGroups(app) {
  const { state, api, $ } = app;
  const isGroup = (id) => state.groups.has(id);
  const memberName = (waId) => state.users.get(waId)?.name ?? `+${waId}`;

  function render() {
    const list = $('group-list');
    const groups = [...state.groups.values()].filter((g) => !g.deleted && app.ofBusiness(g));
    list.hidden = groups.length === 0;
    list.replaceChildren(
      h('div', { class: 'list-title' }, 'Groups'),
      ...groups.map((group) => {
        const chat = app.chatOf(group.id);
        const last = chat[chat.length - 1];
        return h(
          'button',
          {
            type: 'button',
            class: `user-tab group-tab${group.id === state.current ? ' active' : ''}`,
            'data-testid': 'group-tab',
            'data-group-id': group.id,
            onclick: () => app.select(group.id),
          },
          h('div', { class: 'avatar', style: `background:${app.colorOf(group.id)}` }, '👥'),
          h(
            'div',
            { class: 'who' },
            h('div', { class: 'name' }, group.subject),
            h(
              'div',
              { class: 'preview' },
              last ? previewOf(last) : `${group.participants.length} members`,
            ),
          ),
        );
      }),
    );
  }

  function previewOf(message) {
    const text = message.payload?.text?.body ?? message.type;
    return message.author ? `${memberName(message.author)}: ${text}` : text;
  }

  /** The chat header and the member bar of the selected group; false when the chat is not a group. */
  function header() {
    const group = state.groups.get(state.current);
    const bar = $('group-bar');
    if (!group) {
      bar.hidden = true;
      return false;
    }
    $('chat-name').textContent = group.subject;
    $('chat-subtitle').replaceChildren(
      h(
        'span',
        { 'data-testid': 'group-members' },
        group.deleted
          ? 'deleted by the business'
          : group.participants.map(memberName).join(', ') || 'no members',
      ),
    );
    const avatar = $('chat-avatar');
    avatar.textContent = '👥';
    avatar.style.background = app.colorOf(group.id);
    const sender = $('group-sender');
    const chosen = sender.value;
    sender.replaceChildren(
      ...group.participants.map((waId) =>
        h('option', { value: waId, selected: waId === chosen }, memberName(waId)),
      ),
    );
    bar.hidden = group.deleted === true;
    return true;
  }

  /** What the simulated member types in a group chat (text only). */
  function send(input) {
    if (input.type !== 'text') {
      app.showError('In group chats the sandbox sends text messages only.');
      return;
    }
    const from = $('group-sender').value;
    api('POST', `/groups/${encodeURIComponent(state.current)}/messages`, {
      from,
      body: input.body,
      replyTo: input.replyTo,
    }).catch(app.showError);
  }

  /** Author line over a member's bubble; "Open invite link" under a bot message carrying one. */
  function decorate(message, element) {
    if (message.author) {
      element.prepend(
        h(
          'div',
          {
            class: 'group-author',
            'data-testid': 'group-author',
            style: `color:${app.colorOf(message.author)}`,
          },
          memberName(message.author),
        ),
      );
    }
    if (message.from !== 'bot' || isGroup(message.waId)) return element;
    const text = message.payload?.text?.body ?? '';
    const group = [...state.groups.values()].find((g) => !g.deleted && text.includes(g.inviteLink));
    if (!group || group.participants.includes(message.waId)) return element;
    const asked = group.joinRequests.some((r) => r.waId === message.waId);
    element.append(
      h(
        'button',
        {
          type: 'button',
          class: 'interactive-button',
          'data-testid': 'open-invite-link',
          disabled: asked,
          onclick: () =>
            api('POST', `/groups/${encodeURIComponent(group.id)}/join`, {
              wa_id: message.waId,
            }).catch(app.showError),
        },
        asked ? 'Join request sent' : `Open invite link: join "${group.subject}"`,
      ),
    );
    return element;
  }

  function apply(group) {
    state.groups.set(group.id, group);
    render();
    if (state.current === group.id || state.current) app.renderChat();
  }

  return { isGroup, render, header, send, decorate, apply };
}
