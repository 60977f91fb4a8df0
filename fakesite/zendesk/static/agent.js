// Fake Zendesk Agent Workspace: tabs, ticket panes, Garden-like comboboxes, composer, submit.
// Plain JS over the JSON API of fakesite/zendesk (every call is an "application" request).
(() => {
  'use strict';

  const BOOT = JSON.parse(document.getElementById('bootstrap').textContent);
  // Markup variant (fakesite/variants.py): what the UI contract leaves open, done another way.
  const V = BOOT.variant || {};
  const pad = V.label_padding || '';
  const padded = (text) => (pad ? `${pad}${text}${pad}` : text);
  const tabStore = V.tabs_storage === 'localStorage' ? localStorage : sessionStorage;
  const LABELS = BOOT.status_labels;
  const CLIENT_DELAY = Number(BOOT.client_delay_ms || 0);
  const EMPTY = '-';
  const NEW_TICKET_TITLE = 'Novo ticket';
  const app = document.getElementById('app');
  const mainPanes = document.getElementById('main_panes');
  const tabsBar = document.getElementById('header-tabs');
  const portal = document.getElementById('portal-root');
  const notifications = document.getElementById('notifications');
  const dialogRoot = document.getElementById('dialog-root');
  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  // ---------------------------------------------------------------- DOM helper
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
      else if (key === 'class') el.className = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  // ---------------------------------------------------------------- session and API
  let idleTimer = null;

  function touchSession() {
    // The server forgets an idle session; the workspace notices and goes to the login page.
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { api('GET', '/api/v2/session').catch(() => {}); },
                           (BOOT.session_ttl + 0.5) * 1000);
  }

  function goToLogin() {
    const back = location.pathname + location.search;
    location.assign('/access/login?expired=1&return_to=' + encodeURIComponent(back));
  }

  class ApiError extends Error {
    constructor(status, data) { super((data && data.error) || `HTTP ${status}`); this.status = status; this.data = data || {}; }
  }

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json',
                 'X-Return-To': location.pathname + location.search },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // The slow-client profile (fault knob client_delay_ms): every answer is used that much later.
    if (CLIENT_DELAY) await new Promise((resolve) => setTimeout(resolve, CLIENT_DELAY));
    if (response.status === 401) { goToLogin(); throw new ApiError(401, { error: 'Sessão expirada' }); }
    touchSession();
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  // ---------------------------------------------------------------- floating layers (portal)
  let floating = null; // {el, anchor, onClose}

  function placeNear(el, anchor) {
    const r = anchor.getBoundingClientRect();
    el.style.position = 'fixed';
    el.style.minWidth = `${Math.max(r.width, 180)}px`;
    el.style.left = `${Math.min(r.left, window.innerWidth - Math.max(r.width, 180) - 8)}px`;
    const height = el.offsetHeight;
    const below = r.bottom + 2;
    el.style.top = (below + height > window.innerHeight - 4) ? `${Math.max(4, r.top - height - 2)}px` : `${below}px`;
  }

  function openFloating(el, anchor, onClose) {
    closeFloating();
    el.hidden = false;
    placeNear(el, anchor);
    floating = { el, anchor, onClose };
  }

  function closeFloating() {
    if (!floating) return;
    const f = floating;
    floating = null;
    f.el.hidden = true;
    if (f.onClose) f.onClose();
  }

  document.addEventListener('mousedown', (ev) => {
    if (floating && !floating.el.contains(ev.target) && !floating.anchor.contains(ev.target)) closeFloating();
    if (searchOpen && !searchPopover.contains(ev.target) && !searchButton.contains(ev.target)) closeSearch();
  }, true);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { closeFloating(); closeSearch(); }
  });

  function menu(items, attrs) {
    // A Garden-like menu rendered in the portal; items: {label, testId, action, role, checked, extra}
    const itemRole = V.item_role || 'menuitem';
    const el = h('ul', { role: itemRole === 'option' ? 'listbox' : 'menu', class: 'menu', hidden: true, ...(attrs || {}) });
    portal.append(el);
    const api_ = {
      el,
      render(list) {
        el.replaceChildren(...list.map((it) => h('li', {
          role: it.role || itemRole, class: 'menu-item', tabindex: '-1', 'data-test-id': it.testId,
          'data-test-action': it.testAction, 'aria-checked': it.checked === undefined ? null : String(it.checked),
          on: { click: () => { if (it.disabled && it.disabled()) return; closeFloating(); it.action(); } },
        }, pad, it.content || it.label, pad)));
      },
      open(anchor, onClose) {
        if (V.inline_layers) anchor.after(el);  // variant: inside the field, not in the portal
        openFloating(el, anchor, onClose);
      },
      destroy() { el.remove(); },
    };
    api_.render(items);
    return api_;
  }

  // ---------------------------------------------------------------- Garden-like select
  function gardenSelect({ testId, triggerTestId, label, options, value, clearable, onChange }) {
    const labelId = nextId('label');
    const listId = nextId('listbox');
    let current = value || '';
    const valueEl = h('span', { class: 'combo-value' });
    const trigger = h('div', {
      role: 'combobox', tabindex: '0', class: 'combo-trigger', 'aria-labelledby': labelId,
      'aria-haspopup': 'listbox', 'aria-expanded': 'false', 'aria-controls': listId,
      'data-garden-id': 'dropdowns.combobox.trigger', 'data-test-id': triggerTestId,
    }, valueEl, h('span', { class: 'chevron', 'aria-hidden': 'true' }, '▾'));
    const list = h('ul', { role: 'listbox', id: listId, class: 'listbox', hidden: true,
                           'aria-labelledby': labelId, 'data-garden-id': 'dropdowns.combobox.listbox' });
    portal.append(list);
    const field = h('div', { class: 'field', 'data-test-id': testId, 'data-garden-id': 'dropdowns.combobox.field' },
      h('label', { id: labelId, class: 'field-label', on: { click: () => trigger.focus() } }, label), trigger);
    if (V.inline_layers) field.append(list);

    const render = () => { valueEl.textContent = current || EMPTY; };
    const choose = (v) => {
      closeFloating();
      if (v === current) return;
      current = v;
      render();
      onChange(v);
    };
    const open = () => {
      const values = (clearable ? [''] : []).concat(options());
      list.replaceChildren(...values.map((v) => h('li', {
        role: 'option', class: 'option', 'data-garden-id': 'dropdowns.combobox.option', 'data-value': v,
        'aria-selected': String(v === current), on: { click: () => choose(v) },
      }, padded(v || EMPTY))));
      trigger.setAttribute('aria-expanded', 'true');
      openFloating(list, trigger, () => trigger.setAttribute('aria-expanded', 'false'));
    };
    trigger.addEventListener('click', () => (floating && floating.el === list ? closeFloating() : open()));
    trigger.addEventListener('keydown', (ev) => {
      if (['Enter', ' ', 'ArrowDown'].includes(ev.key)) { ev.preventDefault(); open(); }
    });
    render();
    return {
      el: field,
      get: () => current,
      set(v) { current = v || ''; render(); },
      destroy() { list.remove(); },
    };
  }

  // ---------------------------------------------------------------- toasts and the "Aviso" modal
  function toast(message, kind) {
    const item = h('div', { class: `notification ${kind}`, 'data-test-id': 'notification',
                            role: kind === 'error' ? 'alert' : 'status' },
      h('span', { class: 'notification-text' }, message),
      h('button', { type: 'button', class: 'notification-close', 'data-test-id': 'notification-close-btn',
                    'aria-label': 'Fechar notificação', on: { click: () => item.remove() } }));
    notifications.append(item);
  }

  function showNotice() {
    if (dialogRoot.querySelector('[data-notice]')) return;
    const titleId = nextId('aviso');
    const backdrop = h('div', { class: 'backdrop', 'data-notice': '1' },
      h('div', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, class: 'dialog' },
        h('h2', { id: titleId }, 'Aviso'),
        h('p', {}, 'Manutenção programada: o Zendesk pode ficar lento nos próximos minutos.'),
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', class: 'primary', on: { click: () => closeNotice(backdrop) } }, 'Fechar'))));
    for (const layer of [app, portal, notifications]) layer.inert = true;
    dialogRoot.append(backdrop);
    backdrop.querySelector('button').focus();
  }

  function closeNotice(backdrop) {
    backdrop.remove();
    for (const layer of [app, portal, notifications]) layer.inert = false;
  }

  // ---------------------------------------------------------------- rate-limit refusal window
  let submitsBlockedUntil = 0;

  function blockSubmits(seconds) {
    submitsBlockedUntil = Date.now() + seconds * 1000;
    panes.forEach((p) => p.refreshSubmit());
    setTimeout(() => panes.forEach((p) => p.refreshSubmit()), seconds * 1000 + 20);
  }
  const submitsBlocked = () => Date.now() < submitsBlockedUntil;

  // ---------------------------------------------------------------- tabs and routing
  const panes = new Map(); // key -> Pane ("41001" or "new/1")
  let tabs = JSON.parse(tabStore.getItem('zd.tabs') || '[]');
  let activeKey = null;

  const saveTabs = () => tabStore.setItem('zd.tabs', JSON.stringify(tabs));
  const pathOf = (key) => `/agent/tickets/${key}`;

  function keyOfPath(path) {
    let m = path.match(/^\/agent\/tickets\/new\/(\d+)/);
    if (m) return `new/${m[1]}`;
    m = path.match(/^\/agent\/tickets\/(\d+)/);
    return m ? m[1] : null;
  }

  function nextNewKey() {
    let seq = Number(tabStore.getItem('zd.newSeq') || '0');
    do { seq += 1; } while (panes.has(`new/${seq}`));
    tabStore.setItem('zd.newSeq', String(seq));
    return `new/${seq}`;
  }

  function ensurePane(key) {
    if (!panes.has(key)) {
      const pane = new Pane(key);
      panes.set(key, pane);
      mainPanes.append(pane.el);
      if (!tabs.includes(key)) { tabs.push(key); saveTabs(); }
      renderTabs();
    }
    return panes.get(key);
  }

  function renderTabs() {
    tabsBar.replaceChildren(...tabs.filter((k) => panes.has(k)).map((key) => {
      const pane = panes.get(key);
      const selected = key === activeKey;
      const tab = h('div', {
        class: `header-tab${selected ? ' selected' : ''}`, 'data-test-id': 'header-tab', role: 'link', tabindex: '0',
        'data-entity-type': 'TICKET_ENTITY_TYPE', 'data-entity-id': pane.ticketId ? String(pane.ticketId) : key,
        'data-entity-is-selected': String(selected), 'aria-current': selected ? 'page' : null,
        on: { click: (ev) => { if (!ev.target.closest('button')) activate(key, true); } },
      },
        h('span', { class: 'tab-title', 'data-test-id': 'header-tab-title' }, pane.title()),
        h('span', { class: 'tab-subtitle', 'data-test-id': 'header-tab-subtitle' },
          pane.ticketId ? `#${pane.ticketId}` : 'Novo'),
        h('button', { type: 'button', class: 'tab-close', 'data-test-id': 'close-button', 'aria-label': 'Fechar aba',
                      on: { click: () => closeTab(key) } }, '×'));
      return tab;
    }));
  }

  function showOnly(view) {
    // Every ticket pane stays in the DOM; only the active one is visible.
    for (const pane of panes.values()) pane.setActive(pane === view);
    for (const section of mainPanes.querySelectorAll('.view')) section.hidden = section !== view;
  }

  function activate(key, push) {
    const pane = ensurePane(key);
    activeKey = key;
    showOnly(pane);
    renderTabs();
    if (push && location.pathname !== pathOf(key)) history.pushState({}, '', pathOf(key));
  }

  function closeTab(key) {
    const pane = panes.get(key);
    if (!pane) return;
    pane.destroy();
    panes.delete(key);
    tabs = tabs.filter((k) => k !== key);
    saveTabs();
    if (activeKey === key) {
      activeKey = null;
      const next = tabs.filter((k) => panes.has(k)).slice(-1)[0];
      if (next) activate(next, true);
      else { showDashboard(); history.pushState({}, '', '/agent/dashboard'); }
    }
    renderTabs();
  }

  function renameTab(oldKey, newKey) {
    const pane = panes.get(oldKey);
    panes.delete(oldKey);
    panes.set(newKey, pane);
    tabs = tabs.map((k) => (k === oldKey ? newKey : k));
    saveTabs();
    if (activeKey === oldKey) {
      activeKey = newKey;
      history.replaceState({}, '', pathOf(newKey));
    }
    renderTabs();
  }

  let dashboard = null;
  function showDashboard() {
    if (!dashboard) {
      dashboard = h('section', { class: 'view dashboard', 'data-test-id': 'dashboard' },
        h('h1', {}, `Olá, ${BOOT.agent.name}`),
        h('p', {}, 'Use “+ Adicionar” para criar um ticket ou a lupa para pesquisar.'));
      mainPanes.append(dashboard);
    }
    activeKey = null;
    showOnly(dashboard);
    renderTabs();
  }

  function route(push) {
    const key = keyOfPath(location.pathname);
    if (key) return activate(key, push);
    const search = location.pathname.match(/^\/agent\/search\/\d+/);
    if (search) return showSearchPage(new URLSearchParams(location.search).get('q') || '');
    return showDashboard();
  }
  window.addEventListener('popstate', () => route(false));

  function openTicket(id) { activate(String(id), true); }

  // ---------------------------------------------------------------- toolbar: add menu and search
  const addButton = document.querySelector('[data-test-id="header-toolbar-add-menu-button"]');
  const addMenu = menu([{ label: 'Ticket', testId: 'header-toolbar-add-menu-new-ticket',
                          action: () => activate(nextNewKey(), true) }]);
  addButton.addEventListener('click', () => {
    if (floating && floating.el === addMenu.el) return closeFloating();
    addButton.setAttribute('aria-expanded', 'true');
    addMenu.open(addButton, () => addButton.setAttribute('aria-expanded', 'false'));
  });

  const searchButton = document.querySelector('[data-test-id="header-toolbar-search-button"]');
  const searchInput = h('input', { type: 'search', role: 'searchbox', 'aria-label': 'Pesquisar',
                                   placeholder: 'Pesquisar tickets', class: 'search-input' });
  const searchStatus = h('p', { class: 'search-status', role: 'status' });
  const searchResults = h('ul', { class: 'search-results', 'aria-label': 'Resultados' });
  const searchAll = h('a', { href: '/agent/search/1', class: 'search-all' }, 'Ver todos os resultados');
  const searchPopover = h('div', { role: 'dialog', 'aria-label': 'Pesquisa', class: 'search-popover',
                                   'data-test-id': 'search-dialog', hidden: true },
    searchInput, searchStatus, searchResults, searchAll);
  portal.append(searchPopover);
  let searchOpen = false;
  let searchSeq = 0;

  function openSearch() {
    closeFloating();
    searchOpen = true;
    searchPopover.hidden = false;
    searchButton.setAttribute('aria-expanded', 'true');
    const r = searchButton.getBoundingClientRect();
    searchPopover.style.position = 'fixed';
    searchPopover.style.top = `${r.bottom + 4}px`;
    searchPopover.style.right = `${Math.max(8, window.innerWidth - r.right)}px`;
    searchInput.focus();
    searchInput.select();
  }

  function closeSearch() {
    if (!searchOpen) return;
    searchOpen = false;
    searchPopover.hidden = true;
    searchButton.setAttribute('aria-expanded', 'false');
  }

  function resultItem(result) {
    return h('li', { class: 'search-item', 'data-test-id': V.results_elsewhere ? 'search-result-row' : 'search-dialog-matches-item' },
      h('a', { href: pathOf(result.id), on: { click: (ev) => { ev.preventDefault(); closeSearch(); openTicket(result.id); } } },
        h('strong', {}, `#${result.id}`), ' ', result.subject || '(sem assunto)'),
      h('span', { class: `badge badge-${result.status}` }, result.status_label));
  }

  async function runSearch(query, list, status) {
    const seq = ++searchSeq;
    list.replaceChildren();
    status.textContent = 'Pesquisando…';
    list.setAttribute('aria-busy', 'true');
    try {
      const data = await api('GET', `/api/v2/search?query=${encodeURIComponent(query)}`);
      if (seq !== searchSeq) return;
      list.replaceChildren(...data.results.map(resultItem));
      status.textContent = data.results.length
        ? `${data.results.length} resultado(s) para “${query}”`
        : 'Nenhum resultado encontrado';
    } catch (e) {
      if (e.status !== 401) status.textContent = e.message;
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  searchButton.addEventListener('click', () => (searchOpen ? closeSearch() : openSearch()));
  searchInput.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    const query = searchInput.value.trim();
    searchAll.setAttribute('href', `/agent/search/1?q=${encodeURIComponent(query)}`);
    runSearch(query, searchResults, searchStatus);
  });

  let searchPage = null;
  function showSearchPage(query) {
    if (!searchPage) {
      searchPage = h('section', { class: 'view search-page', 'data-test-id': 'search-results-page' });
      mainPanes.append(searchPage);
    }
    const status = h('p', { class: 'search-status', role: 'status' });
    const list = h('ul', { class: 'search-results', 'aria-label': 'Resultados' });
    searchPage.replaceChildren(h('h1', {}, 'Resultados da pesquisa'), h('p', {}, `Pesquisa: ${query}`), status, list);
    activeKey = null;
    showOnly(searchPage);
    renderTabs();
    runSearch(query, list, status);
  }

  // ---------------------------------------------------------------- the add-user dialog
  function addUserDialog(prefill, onAdded) {
    const titleId = nextId('add-user');
    const nameId = nextId('name');
    const emailId = nextId('email');
    const name = h('input', { id: nameId, type: 'text', autocomplete: 'off' });
    const email = h('input', { id: emailId, type: 'text', autocomplete: 'off' });
    const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
    if (prefill.includes('@')) email.value = prefill; else name.value = prefill;
    const close = () => backdrop.remove();
    const add = h('button', { type: 'button', class: 'primary', on: { click: async () => {
      add.disabled = true;
      try {
        const data = await api('POST', '/api/v2/users', { name: name.value, email: email.value });
        close();
        onAdded(data.user);
      } catch (e) {
        if (e.status === 401) return;
        error.textContent = e.message;
        error.hidden = false;
      } finally { add.disabled = false; }
    } } }, 'Adicionar');
    const backdrop = h('div', { class: 'backdrop' },
      h('div', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, class: 'dialog',
                 'data-test-id': 'add-user-modal' },
        h('h2', { id: titleId }, 'Adicionar usuário'),
        h('label', { for: nameId }, 'Nome'), name,
        h('label', { for: emailId }, 'E-mail'), email,
        error,
        h('div', { class: 'dialog-actions' },
          h('button', { type: 'button', on: { click: close } }, 'Cancelar'), add)));
    dialogRoot.append(backdrop);
    (prefill.includes('@') ? name : email).focus();
  }

  // ---------------------------------------------------------------- the ticket pane
  class Pane {
    constructor(key) {
      this.key = key;
      this.ticketId = /^\d+$/.test(key) ? Number(key) : null;
      this.ticket = null;
      this.dirty = new Set();
      this.channel = 'public';
      this.postSave = 'close';
      this.saving = false;
      this.widgets = [];
      this.menus = [];
      this.el = h('section', { class: 'pane', 'data-is-active': 'false', hidden: true });
      this.setTestIds();
      if (this.ticketId) {
        this.el.append(h('p', { class: 'loading', role: 'status' }, 'Carregando ticket…'));
        this.load();
      } else {
        this.state = { subject: '', requester: '', requesterName: '', brand: BOOT.brands[0] || '',
                       form: BOOT.forms[0] || '', type: '', priority: '', assignee: '', custom: {} };
        this.build();
      }
    }

    setTestIds() {
      const id = this.ticketId ? String(this.ticketId) : this.key.replace('/', '-');
      this.el.setAttribute('data-test-id', `ticket-${id}-standard-layout`);
      this.el.setAttribute('data-ticket-id', this.ticketId ? String(this.ticketId) : '');
    }

    title() {
      if (this.ticket) return this.ticket.subject || `Ticket #${this.ticket.id}`;
      if (this.ticketId) return `Ticket #${this.ticketId}`;
      return (this.state && this.state.subject) || NEW_TICKET_TITLE;
    }

    setActive(active) {
      this.el.dataset.isActive = String(active);
      this.el.hidden = !active;
    }

    async load() {
      try {
        const data = await api('GET', `/api/v2/tickets/${this.ticketId}`);
        this.applyTicket(data.ticket);
        this.build();
        renderTabs();
      } catch (e) {
        if (e.status === 401) return;
        this.el.replaceChildren(h('p', { class: 'pane-error', role: 'alert' },
          e.status === 404 ? `Ticket #${this.ticketId} não encontrado.` : e.message));
      }
    }

    applyTicket(t) {
      this.ticket = t;
      this.state = { subject: t.subject || '', requester: t.requester || '', requesterName: t.requester_name || '',
                     brand: t.brand || '', form: t.form || '', type: t.type || '', priority: t.priority || '',
                     assignee: t.assignee || '', custom: { ...(t.custom_fields || {}) } };
      this.dirty.clear();
    }

    change(field, value) {
      this.dirty.add(field);
      if (field.startsWith('custom:')) this.state.custom[field.slice(7)] = value;
      else this.state[field] = value;
    }

    // -- building ------------------------------------------------------------------------
    build() {
      for (const w of this.widgets) if (w.destroy) w.destroy();
      for (const m of this.menus) m.destroy();
      this.widgets = [];
      this.menus = [];
      const s = this.state;
      const sidebar = h('aside', { class: 'sidebar', 'aria-label': 'Propriedades do ticket' });
      sidebar.append(this.requesterField());
      const select = (testId, label, options, field, clearable, after) => {
        const w = gardenSelect({ testId, label, options, value: s[field], clearable,
                                 onChange: (v) => { this.change(field, v); if (after) after(v); } });
        this.widgets.push(w);
        sidebar.append(w.el);
        return w;
      };
      const agentName = (email) => (BOOT.agents.find((a) => a.email === email) || { name: email }).name;
      const assignee = gardenSelect({ testId: 'ticket-system-field-assignee-select', label: 'Responsável',
        options: () => BOOT.agents.map((a) => a.name), value: s.assignee ? agentName(s.assignee) : '', clearable: true,
        onChange: (v) => this.change('assignee', (BOOT.agents.find((a) => a.name === v) || { email: '' }).email) });
      this.widgets.push(assignee);
      sidebar.append(assignee.el);
      select('ticket-system-field-brand-select', 'Marca', () => BOOT.brands, 'brand', false);
      select('ticket-fields-ticket-forms', 'Formulário', () => BOOT.forms, 'form', false, () => this.renderCustom());
      select('ticket-fields-type-select', 'Tipo', () => BOOT.types, 'type', true);
      select('ticket-fields-priority-select', 'Prioridade', () => BOOT.priorities, 'priority', true);
      this.customBox = h('div', { class: 'custom-fields', 'data-test-id': 'ticket-form-fields' });
      sidebar.append(this.customBox);
      if (V.sidebar_reversed) sidebar.replaceChildren(...[...sidebar.children].reverse());

      const subjectId = nextId('subject');
      this.subject = h('input', { id: subjectId, type: 'text', class: 'subject', 'data-test-id': 'omni-header-subject',
                                  value: s.subject, placeholder: 'Assunto',
                                  on: { input: () => { this.change('subject', this.subject.value); renderTabs(); } } });
      this.badge = h('span', { class: 'badge' });
      const header = h('div', { class: 'omni-header' },
        h('label', { for: subjectId, class: 'subject-label' }, 'Assunto'), this.subject, this.badge);
      this.log = h('div', { class: 'omni-log', 'data-test-id': 'omni-log-container', 'aria-label': 'Conversa' });
      const work = h('div', { class: 'workspace' }, header, this.log, this.composer(), this.footer());
      this.spinner = h('div', { class: 'ticket-working-spinner', role: 'progressbar', 'aria-label': 'Salvando ticket',
                                hidden: true }, h('span', { class: 'spinner-dot' }));
      this.el.replaceChildren(h('div', { class: 'pane-body' }, sidebar, work), this.spinner);
      if (V.results_elsewhere && this.ticketId) {
        this.el.prepend(h('p', { class: 'pane-notice', role: 'alert' }, 'Cliente com contrato de atendimento VIP.'));
      }
      this.renderCustom();
      this.renderStatus();
      this.renderLog();
    }

    requesterField() {
      const inputId = nextId('requester');
      const listId = nextId('listbox');
      const input = h('input', { id: inputId, type: 'text', role: 'combobox', class: 'combo-input', autocomplete: 'off',
                                 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
                                 placeholder: 'Pesquisar usuários', value: this.state.requesterName });
      const hint = h('span', { class: 'requester-email', 'data-test-id': 'requester-email' }, this.state.requester);
      const list = h('ul', { role: 'listbox', id: listId, class: 'listbox', hidden: true,
                             'data-garden-id': 'dropdowns.combobox.listbox', 'aria-label': 'Solicitante' });
      portal.append(list);
      this.widgets.push({ destroy: () => list.remove() });
      let seq = 0;
      let timer = null;
      const option = (content, onPick, extra) => h('li', { role: 'option', class: 'option', 'aria-selected': 'false',
        'data-garden-id': 'dropdowns.combobox.option', ...(extra || {}), on: { click: onPick } }, content);
      const pick = (user) => {
        closeFloating();
        this.change('requester', user.email);
        this.state.requesterName = user.name;
        input.value = user.name;
        hint.textContent = user.email;
      };
      const show = () => {
        input.setAttribute('aria-expanded', 'true');
        openFloating(list, input, () => input.setAttribute('aria-expanded', 'false'));
      };
      const search = () => {
        const query = input.value.trim();
        const mine = ++seq;
        // Stale options disappear at once: the list shows only a loading line until the answer.
        list.replaceChildren(h('li', { class: 'loading', role: 'presentation', 'aria-busy': 'true' }, 'Carregando…'));
        show();
        clearTimeout(timer);
        timer = setTimeout(async () => {
          let users = [];
          try {
            users = query ? (await api('GET', `/api/v2/users/autocomplete?name=${encodeURIComponent(query)}`)).users : [];
          } catch (e) { if (e.status === 401) return; }
          if (mine !== seq) return;
          list.replaceChildren(
            ...users.map((u) => option([h('span', { class: 'user-name' }, u.name), ' ',
                                        h('span', { class: 'user-email' }, u.email)], () => pick(u),
                                       { 'data-email': u.email })),
            option(padded('Adicionar usuário'), () => { closeFloating(); addUserDialog(query, pick); },
                   { 'data-action': 'add-user', class: 'option add-user' }));
          show();
        }, (V.requester_debounce ?? 200) + CLIENT_DELAY);
      };
      input.addEventListener('input', search);
      input.addEventListener('click', () => { if (!(floating && floating.el === list)) search(); });
      input.addEventListener('blur', () => setTimeout(() => {
        if (!(floating && floating.el === list) && document.activeElement !== input) input.value = this.state.requesterName;
      }, 150));
      return h('div', { class: 'field', 'data-test-id': 'ticket-system-field-requester-select' },
        h('label', { for: inputId, class: 'field-label' }, 'Solicitante'), input, hint, V.inline_layers ? list : null);
    }

    renderCustom() {
      for (const w of this.customWidgets || []) w.destroy();
      this.customWidgets = [];
      this.customBox.replaceChildren();
      if (this.state.form !== BOOT.custom_fields_form) return;
      for (const [id, spec] of Object.entries(BOOT.fields)) {
        if (spec.type === 'text') {
          const inputId = nextId('field');
          const input = h('input', { id: inputId, type: 'text', 'data-test-id': `ticket-form-field-text-field-${id}`,
                                     value: this.state.custom[id] || '',
                                     on: { input: () => this.change(`custom:${id}`, input.value) } });
          this.customBox.append(h('div', { class: 'field' }, h('label', { for: inputId, class: 'field-label' }, spec.title), input));
        } else {
          const w = gardenSelect({ testId: `ticket-form-field-dropdown-field-${id}`,
                                   triggerTestId: 'ticket-form-field-dropdown-button', label: spec.title,
                                   options: () => spec.options, value: this.state.custom[id] || '', clearable: true,
                                   onChange: (v) => this.change(`custom:${id}`, v) });
          this.customWidgets.push(w);
          this.customBox.append(w.el);
        }
      }
    }

    composer() {
      const knobs = BOOT.variant || {};
      const switcher = h('button', { type: 'button', class: 'channel-switcher', 'aria-haspopup': 'menu',
                                     'data-test-id': knobs.channel_switcher_test_id || 'omnichannel-channel-switcher-button' });
      const channelValues = knobs.channel_values || { public: 'public', internal: 'internal' };
      this.editor = h('div', { class: 'ck-editor', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true',
                               'data-test-id': 'omnicomposer-rich-text-ckeditor' });
      const channelMenu = menu([
        { label: 'Resposta pública', testId: 'omnichannel-channel-switcher-menuitem-public', action: () => setChannel('public') },
        { label: 'Observação interna', testId: 'omnichannel-channel-switcher-menuitem-internal', action: () => setChannel('internal') },
      ], { 'data-test-id': 'omnichannel-channel-switcher-menu' });
      this.menus.push(channelMenu);
      const setChannel = (channel) => {
        this.channel = channel;
        const label = channel === 'public' ? 'Resposta pública' : 'Observação interna';
        switcher.dataset.channel = channelValues[channel];
        switcher.setAttribute('aria-label', label);
        switcher.replaceChildren(label, h('span', { 'aria-hidden': 'true' }, ' ▾'));
        this.editor.setAttribute('aria-label', label);
        this.editor.classList.toggle('internal', channel === 'internal');
        this.composerBox.classList.toggle('internal', channel === 'internal');
      };
      this.setChannel = setChannel;
      switcher.addEventListener('click', () => channelMenu.open(switcher));
      this.composerBox = h('div', { class: 'composer' }, switcher, this.editor);
      setChannel(this.channel);
      return this.composerBox;
    }

    footer() {
      const postLabel = () => (this.postSave === 'close' ? 'Fechar aba' : 'Permanecer no ticket');
      const postButton = h('button', { type: 'button', class: 'post-save',
                                       'data-test-id': 'ticket-footer-post-save-actions-menu-button',
                                       'data-tracking-id': 'ticket-footer-post-save-actions-menu-button',
                                       'aria-haspopup': 'menu' });
      const postMenu = menu([], { 'data-test-id': 'ticket-footer-post-save-actions-menu' });
      this.menus.push(postMenu);
      const renderPost = () => {
        postButton.replaceChildren(postLabel(), h('span', { 'aria-hidden': 'true' }, ' ▾'));
        postMenu.render([
          { label: 'Fechar aba', role: 'menuitemradio', testAction: 'close_tab', checked: this.postSave === 'close',
            action: () => { this.postSave = 'close'; renderPost(); } },
          { label: 'Permanecer no ticket', role: 'menuitemradio', testAction: 'stay_on_ticket',
            checked: this.postSave === 'stay', action: () => { this.postSave = 'stay'; renderPost(); } },
        ]);
      };
      postButton.addEventListener('click', () => postMenu.open(postButton));
      renderPost();

      this.submitMain = h('button', { type: 'button', class: 'submit-main', 'data-test-id': 'submit_button-button',
                                      on: { click: () => this.submit(this.currentStatus()) } });
      this.submitChevron = h('button', { type: 'button', class: 'submit-chevron', 'data-test-id': 'submit_button-menu-button',
                                         'aria-label': 'Escolher status do envio', 'aria-haspopup': 'menu' }, '▾');
      const submitMenu = menu(BOOT.submit_statuses.map((s) => ({
        testId: `submit_button-menu-${s}`, content: ['Enviar como ', h('strong', {}, LABELS[s])],
        action: () => this.submit(s), disabled: submitsBlocked,
      })), { 'data-cy-test-id': 'submit_button-menu', 'aria-label': 'Enviar como' });
      this.menus.push(submitMenu);
      this.submitChevron.addEventListener('click', () => submitMenu.open(this.submitChevron));
      this.refreshSubmit();
      return h('footer', { class: 'ticket-footer' }, postButton,
        h('div', { class: 'split-button' }, this.submitMain, this.submitChevron));
    }

    currentStatus() { return this.ticket ? this.ticket.status : 'new'; }

    refreshSubmit() {
      if (!this.submitMain) return;
      this.submitMain.textContent = `Enviar como ${LABELS[this.currentStatus()]}`;
      const disabled = this.saving || submitsBlocked();
      this.submitMain.disabled = disabled;
      this.submitChevron.disabled = disabled;
    }

    renderStatus() {
      const status = this.currentStatus();
      this.badge.className = `badge badge-${status}`;
      this.badge.setAttribute('data-test-id', V.results_elsewhere ? 'ticket-status-pill' : `status-badge-${status}`);
      this.badge.textContent = LABELS[status];
      this.refreshSubmit();
    }

    renderLog() {
      const comments = this.ticket ? this.ticket.comments : [];
      this.log.replaceChildren(...comments.map((c) => h('article', {
        class: `comment${c.public ? '' : ' internal'}`, 'data-test-id': 'omni-log-comment-item' },
        h('div', { class: 'comment-meta' },
          h('span', { class: 'sender', 'data-test-id': 'omni-log-item-sender' }, c.author_name || c.author),
          c.created_at ? h('time', { 'data-test-id': 'timestamp-relative', datetime: c.created_at }, c.created_at.replace('T', ' ')) : null,
          c.public ? null : h('span', { class: 'internal-tag', 'data-test-id': 'omni-log-internal-note-tag' }, 'Observação interna')),
        h('div', { class: 'comment-message', 'data-test-id': 'omni-log-item-message' },
          h('div', { class: 'comment-body', 'data-test-id': 'omni-log-message-content' }, c.body)))));
    }

    // -- submitting ------------------------------------------------------------------------
    payload(status) {
      const body = { status };
      const s = this.state;
      const isNew = !this.ticketId;
      for (const field of ['subject', 'requester', 'brand', 'form', 'type', 'priority', 'assignee']) {
        if (isNew ? s[field] : this.dirty.has(field)) body[field] = s[field];
      }
      if (s.form === BOOT.custom_fields_form) {
        const custom = {};
        for (const id of Object.keys(BOOT.fields)) {
          if (isNew ? s.custom[id] : this.dirty.has(`custom:${id}`)) custom[id] = s.custom[id] || '';
        }
        if (Object.keys(custom).length) body.custom_fields = custom;
      }
      const text = this.editor.innerText.replace(/\u00a0/g, ' ').trim();
      if (text) body.comment = { body: text, public: this.channel === 'public' };
      return body;
    }

    setSaving(saving) {
      this.saving = saving;
      this.spinner.hidden = !saving;
      this.el.setAttribute('aria-busy', String(saving));
      this.refreshSubmit();
    }

    async submit(status) {
      if (this.saving || submitsBlocked()) return;
      closeFloating();
      const body = this.payload(status);
      this.setSaving(true);
      let data;
      try {
        data = this.ticketId ? await api('PUT', `/api/v2/tickets/${this.ticketId}`, body)
                             : await api('POST', '/api/v2/tickets', body);
      } catch (e) {
        if (e.status === 401) return;
        this.setSaving(false);
        toast(e.message || 'Não foi possível salvar o ticket', 'error');
        if (e.status === 429) blockSubmits(Number(e.data.retry_after) || 1);
        return;
      }
      const t = data.ticket;
      const oldKey = this.key;
      if (!this.ticketId) {
        this.ticketId = t.id;
        this.key = String(t.id);
        this.setTestIds();
        renameTab(oldKey, this.key);
      }
      // Rebuilt from the saved ticket: fields show what the server kept (e.g. Prioridade Normal).
      this.applyTicket(t);
      this.saving = false;
      this.channel = 'public';
      this.build();
      renderTabs();
      toast(`Ticket #${t.id} atualizado`, 'success');
      if (this.postSave === 'close') closeTab(this.key);
      if (data.modal) showNotice();
    }

    destroy() {
      for (const w of this.widgets) if (w.destroy) w.destroy();
      for (const w of this.customWidgets || []) w.destroy();
      for (const m of this.menus) m.destroy();
      this.el.remove();
    }
  }

  // ---------------------------------------------------------------- start
  for (const key of tabs) ensurePane(key);
  route(false);
  touchSession();
  if (BOOT.modal) showNotice();
  // Variant: the workspace stays hidden until its script has started (and a moment more).
  if (app.hidden) setTimeout(() => { app.hidden = false; }, V.reveal_after_ms || 0);
  if (V.cookie_banner && !localStorage.getItem('zd.cookies')) {
    const banner = h('div', { class: 'cookie-banner', role: 'region', 'aria-label': 'Aviso de cookies' },
      h('p', {}, 'Usamos cookies para melhorar sua experiência.'),
      h('button', { type: 'button', on: { click: () => { localStorage.setItem('zd.cookies', '1'); banner.remove(); } } },
        'Aceitar'));
    document.body.append(banner);
  }
})();
