// WhatsApp Flows on the chat page: a flow message's button opens its Flow JSON as a form. Screens are
// drawn from a subset of Meta's components; `navigate` stays on the page, `data_exchange` goes to the
// app's endpoint through the sandbox (encrypted and signed as WhatsApp does), `complete` (or the
// endpoint's SUCCESS screen) sends the user's nfm_reply. Text only: nothing from a flow is parsed as HTML.
import { h } from './render.js';

const BINDING = /\$\{(data|form)\.([A-Za-z0-9_.]+)\}/g;
const WHOLE_BINDING = /^\$\{(data|form)\.([A-Za-z0-9_.]+)\}$/;

function lookup(scope, path) {
  return path
    .split('.')
    .reduce(
      (value, key) => (value !== null && typeof value === 'object' ? value[key] : undefined),
      scope,
    );
}

/** `${data.x}` / `${form.x}`: a whole-string binding keeps its type (arrays, booleans); inside text it becomes text. */
export function resolveBindings(value, scopes) {
  if (typeof value === 'string') {
    const whole = WHOLE_BINDING.exec(value);
    if (whole) return lookup(scopes[whole[1]], whole[2]);
    return value.replace(BINDING, (_, scope, path) => {
      const v = lookup(scopes[scope], path);
      return v === undefined || v === null ? '' : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveBindings(v, scopes));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveBindings(v, scopes)]),
    );
  }
  return value;
}

async function call(method, path, body) {
  const res = await fetch(`/sandbox/api/flows/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function options(list) {
  return Array.isArray(list) ? list.filter((o) => o && typeof o.id === 'string') : [];
}

/** One component as DOM; form values go to `form[name]`. Unknown ones become a named placeholder. */
function component(c, ctx) {
  if (!c || typeof c !== 'object') return null;
  const p = resolveBindings(c, ctx.scopes);
  if (p.visible === false) return null;
  const label = (text, required) =>
    h('span', { class: 'flow-label' }, `${text ?? ''}${required ? ' *' : ''}`);
  const field = (...children) =>
    h('label', { class: 'flow-field', 'data-flow-field': p.name }, ...children);
  const set = (value) => {
    ctx.form[p.name] = value;
  };
  switch (c.type) {
    case 'TextHeading':
      return h('h3', { class: 'flow-heading', 'data-testid': 'flow-text' }, p.text);
    case 'TextSubheading':
      return h('h4', { class: 'flow-subheading', 'data-testid': 'flow-text' }, p.text);
    case 'TextBody':
    case 'TextCaption':
      return h(
        'p',
        { class: 'flow-body', 'data-testid': 'flow-text' },
        Array.isArray(p.text) ? p.text.join('\n') : p.text,
      );
    case 'TextInput':
    case 'TextArea': {
      const types = {
        number: 'number',
        email: 'email',
        password: 'password',
        passcode: 'password',
        phone: 'tel',
      };
      const attrs = {
        name: p.name,
        'data-testid': 'flow-input',
        value: ctx.form[p.name] ?? p['init-value'] ?? '',
        oninput: (e) => set(e.target.value),
      };
      if (ctx.form[p.name] === undefined && p['init-value'] !== undefined)
        set(String(p['init-value']));
      const input =
        c.type === 'TextArea'
          ? h('textarea', attrs, ctx.form[p.name] ?? '')
          : h('input', { ...attrs, type: types[p['input-type']] ?? 'text' });
      return field(
        label(p.label, p.required),
        input,
        p['helper-text'] ? h('small', {}, p['helper-text']) : null,
      );
    }
    case 'DatePicker': {
      return field(
        label(p.label, p.required),
        h('input', {
          type: 'date',
          name: p.name,
          'data-testid': 'flow-input',
          min: p['min-date'],
          max: p['max-date'],
          value: ctx.form[p.name] ?? '',
          oninput: (e) => set(e.target.value),
        }),
      );
    }
    case 'Dropdown': {
      const list = options(p['data-source']);
      const select = h(
        'select',
        {
          name: p.name,
          'data-testid': 'flow-input',
          onchange: (e) => set(e.target.value || undefined),
        },
        h('option', { value: '' }, 'Select…'),
        ...list.map((o) =>
          h(
            'option',
            { value: o.id, disabled: o.enabled === false, selected: ctx.form[p.name] === o.id },
            o.title ?? o.id,
          ),
        ),
      );
      return field(label(p.label, p.required), select);
    }
    case 'RadioButtonsGroup':
      return h(
        'fieldset',
        { class: 'flow-field', 'data-flow-field': p.name },
        h('legend', {}, `${p.label ?? ''}${p.required ? ' *' : ''}`),
        ...options(p['data-source']).map((o) =>
          h(
            'label',
            { class: 'flow-choice' },
            h('input', {
              type: 'radio',
              name: p.name,
              value: o.id,
              'data-testid': 'flow-choice',
              disabled: o.enabled === false,
              checked: ctx.form[p.name] === o.id,
              onchange: () => set(o.id),
            }),
            o.title ?? o.id,
          ),
        ),
      );
    case 'CheckboxGroup':
      return h(
        'fieldset',
        { class: 'flow-field', 'data-flow-field': p.name },
        h('legend', {}, `${p.label ?? ''}${p.required ? ' *' : ''}`),
        ...options(p['data-source']).map((o) =>
          h(
            'label',
            { class: 'flow-choice' },
            h('input', {
              type: 'checkbox',
              value: o.id,
              'data-testid': 'flow-choice',
              disabled: o.enabled === false,
              checked: (ctx.form[p.name] ?? []).includes(o.id),
              onchange: (e) => {
                const now = new Set(ctx.form[p.name] ?? []);
                if (e.target.checked) now.add(o.id);
                else now.delete(o.id);
                set([...now]);
              },
            }),
            o.title ?? o.id,
          ),
        ),
      );
    case 'OptIn':
      return h(
        'label',
        { class: 'flow-choice', 'data-flow-field': p.name },
        h('input', {
          type: 'checkbox',
          name: p.name,
          'data-testid': 'flow-optin',
          checked: ctx.form[p.name] === true,
          onchange: (e) => set(e.target.checked),
        }),
        `${p.label ?? ''}${p.required ? ' *' : ''}`,
      );
    case 'Form':
      return h(
        'div',
        { class: 'flow-form' },
        ...(c.children ?? []).map((child) => component(child, ctx)),
      );
    case 'Footer':
      return h(
        'button',
        {
          type: 'button',
          class: 'flow-footer',
          'data-testid': 'flow-footer',
          onclick: () => ctx.act(c['on-click-action']),
        },
        p.label ?? 'Continue',
      );
    default:
      return h(
        'div',
        {
          class: 'unsupported-note',
          'data-testid': 'flow-unsupported',
          'data-component': String(c.type),
        },
        `Component "${String(c.type)}" is not shown by the sandbox`,
      );
  }
}

/** Required fields of a screen that are still empty (checked before any action leaves it). */
function missing(children, form, scopes) {
  const names = [];
  const walk = (list) => {
    for (const c of list ?? []) {
      if (!c || typeof c !== 'object') continue;
      if (c.type === 'Form') walk(c.children);
      const p = resolveBindings(c, scopes);
      if (p.required === true && p.visible !== false && typeof p.name === 'string') {
        const v = form[p.name];
        if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0))
          names.push(p.label ?? p.name);
      }
    }
  };
  walk(children);
  return names;
}

/**
 * Opens the flow of `message` (a bot interactive `flow` message) for user `waId`. `onError` shows
 * refusals on the page. Resolves when the dialog closes.
 */
export async function openFlow(message, waId, onError) {
  const info = await call('GET', `message/${encodeURIComponent(message.id)}`);
  const flowJson = info.flowJson;
  if (!flowJson || !Array.isArray(flowJson.screens)) {
    onError(
      new Error(
        'The flow has no Flow JSON in the sandbox (create it with whatsapp.flows.create / uploadJson)',
      ),
    );
    return;
  }
  const params = info.parameters ?? {};
  const screens = new Map(
    flowJson.screens.filter((s) => s && typeof s.id === 'string').map((s) => [s.id, s]),
  );
  const dialog = h('dialog', { class: 'sheet flow-dialog', 'data-testid': 'flow-dialog' });
  document.body.append(dialog);
  const history = [];
  let current;
  let closed = false;

  const status = (text) => {
    const bar = dialog.querySelector('[data-testid="flow-error"]');
    if (bar) {
      bar.textContent = text ?? '';
      bar.hidden = !text;
    }
  };
  const close = () => {
    closed = true;
    dialog.close();
    dialog.remove();
  };
  const complete = async (response) => {
    await call('POST', `message/${encodeURIComponent(message.id)}/complete`, { waId, response });
    close();
  };
  const exchange = async (action, screen, data) => {
    const result = await call('POST', `message/${encodeURIComponent(message.id)}/exchange`, {
      action,
      screen,
      data,
    });
    if (result.status === 200 && result.response && typeof result.response === 'object') {
      const answer = result.response;
      if (answer.screen === 'SUCCESS') {
        await complete(answer.data?.extension_message_response?.params ?? {});
        return;
      }
      if (typeof answer.screen === 'string') {
        show(answer.screen, answer.data ?? {}, action !== 'BACK');
        if (typeof answer.data?.error_message === 'string') status(answer.data.error_message);
        return;
      }
    }
    if (result.status === 427) {
      const text = result.response?.error_msg ?? result.error;
      renderClosed(text);
      return;
    }
    status(result.error ?? `The endpoint answered HTTP ${result.status}`);
  };
  const renderClosed = (text, testid = 'flow-closed') => {
    dialog.replaceChildren(
      h('div', { class: 'sheet-title' }, flowJson.screens[0]?.title ?? 'Flow'),
      h('p', { class: 'flow-body', 'data-testid': testid }, text),
      h('button', { type: 'button', onclick: close }, 'Close'),
    );
  };

  function show(screenId, data, push) {
    const screen = screens.get(screenId);
    if (!screen) {
      status(`Screen "${screenId}" is not in the Flow JSON`);
      return;
    }
    if (push && current) history.push(current);
    current = { screen, data: data ?? {}, form: {} };
    render();
  }

  function render() {
    const { screen } = current;
    const ctx = {
      form: current.form,
      scopes: { data: current.data, form: current.form },
      act: (action) => run(action).catch((e) => status(e.message)),
    };
    const children = screen.layout?.children ?? [];
    dialog.replaceChildren(
      h(
        'div',
        { class: 'flow-top' },
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'flow-back',
            onclick: () => back().catch((e) => status(e.message)),
          },
          history.length ? '←' : '✕',
        ),
        h(
          'div',
          { class: 'sheet-title', 'data-testid': 'flow-title', 'data-screen': screen.id },
          screen.title ?? screen.id,
        ),
      ),
      h('div', { class: 'flow-error', 'data-testid': 'flow-error', hidden: true }),
      h('div', { class: 'flow-screen' }, ...children.map((c) => component(c, ctx))),
    );
  }

  async function run(action) {
    if (!action || typeof action !== 'object') return;
    const scopes = { data: current.data, form: current.form };
    const lacking = missing(current.screen.layout?.children, current.form, scopes);
    if (lacking.length > 0) {
      status(`Required: ${lacking.join(', ')}`);
      return;
    }
    const payload = resolveBindings(action.payload ?? {}, scopes);
    switch (action.name) {
      case 'navigate':
        show(action.next?.name, payload, true);
        return;
      case 'data_exchange':
        await exchange('data_exchange', current.screen.id, payload);
        return;
      case 'complete':
        await complete(payload);
        return;
      default:
        status(`Action "${String(action.name)}" is not run by the sandbox`);
    }
  }

  async function back() {
    if (current?.screen.refresh_on_back === true) {
      await exchange('BACK', current.screen.id, undefined);
      return;
    }
    const previous = history.pop();
    if (!previous) return close();
    current = previous;
    render();
  }

  dialog.addEventListener('cancel', () => (closed = true));
  dialog.showModal();
  try {
    if (params.flow_action === 'data_exchange') {
      renderClosed('Loading…', 'flow-loading');
      await exchange('INIT', undefined, undefined);
    } else {
      const first = params.flow_action_payload?.screen ?? flowJson.screens[0]?.id;
      show(first, params.flow_action_payload?.data ?? {}, false);
    }
  } catch (error) {
    if (!closed) status(error.message);
    onError(error);
  }
}
