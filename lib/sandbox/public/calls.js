// Calls on the sandbox page: "call the business" from a 1:1 chat, the call's state as the app answers
// (ringing, connecting, accepted, rejected, ended), hanging up, and answering a business call.
// Signaling only: the page sends a real SDP offer, no audio flows. Wired into app.js by installCalls().
import { h } from './render.js';

const LABELS = {
  ringing: 'Ringing…',
  pre_accepted: 'Connecting…',
  accepted: 'Call accepted (signaling only: no audio in the sandbox)',
  rejected: 'The business rejected the call',
  ended: 'Call ended',
};

/** `app`: { state, api, showError, ofBusiness, $ }. Returns the hooks app.js calls. */
export function installCalls(app) {
  const { state, api, $ } = app;

  $('call-button').addEventListener('click', () => {
    if (!state.current || state.groups.has(state.current)) return;
    api('POST', `/users/${state.current}/calls`, {}).then(apply).catch(app.showError);
  });

  function latest(waId) {
    return [...state.calls.values()]
      .filter((c) => c.waId === waId && app.ofBusiness(c))
      .sort((a, b) => a.startedAt - b.startedAt)
      .pop();
  }

  function render() {
    const inGroup = !state.current || state.groups.has(state.current);
    $('call-button').hidden = inGroup;
    const bar = $('call-bar');
    const call = inGroup ? undefined : latest(state.current);
    if (!call) {
      bar.hidden = true;
      return;
    }
    const active = call.state !== 'rejected' && call.state !== 'ended';
    const incoming = call.direction === 'BUSINESS_INITIATED' && call.state === 'ringing';
    const who = state.business?.name ?? 'the business';
    const label = incoming
      ? `${who} is calling you`
      : call.state === 'ended' && call.endedBy === 'business'
        ? 'The business ended the call'
        : LABELS[call.state];
    bar.hidden = false;
    bar.dataset.state = call.state;
    const hangUp = () =>
      api('POST', `/calls/${encodeURIComponent(call.id)}/hangup`, {})
        .then(apply)
        .catch(app.showError);
    bar.replaceChildren(
      ...[
        h('span', { class: 'call-icon' }, '📞'),
        h('span', { class: 'call-status', 'data-testid': 'call-status' }, label),
        incoming && button('call-answer', 'Answer', () => answer(call, true)),
        incoming && button('call-decline', 'Decline', () => answer(call, false)),
        active && !incoming && button('call-hangup', 'Hang up', hangUp),
      ].filter(Boolean),
    );
  }

  function answer(call, accept) {
    api('POST', `/calls/${encodeURIComponent(call.id)}/answer`, { accept })
      .then(apply)
      .catch(app.showError);
  }

  function button(testId, text, onclick) {
    return h(
      'button',
      { type: 'button', class: 'call-action', 'data-testid': testId, onclick },
      text,
    );
  }

  function apply(call) {
    state.calls.set(call.id, call);
    render();
  }

  return { render, apply };
}
