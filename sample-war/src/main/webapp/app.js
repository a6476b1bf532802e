// The pet shop's page: everything it shows comes from the shop's JSON API (api/...), which calls AWS as the
// signed-in user. The page offers only what the user's role allows; "Show actions my role lacks" offers the rest,
// so that AWS's refusal can be seen. Values are written with textContent, never as HTML.
'use strict';

const ROLE_KEY = 'pet-shop.role';
let me = null;
let countdown = null;
let retry = null; // the action the ended session interrupted, offered again after signing in

function requestedRole() {
  return sessionStorage.getItem(ROLE_KEY);
}

// Calls the shop's API with the role the user chose (X-AWS-Role), answering the parsed JSON (or null for 204).
async function api(method, path, body, contentType) {
  const headers = { Accept: 'application/json' };
  if (requestedRole()) headers['X-AWS-Role'] = requestedRole();
  if (contentType) headers['Content-Type'] = contentType;
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    // The sign-in session ended (idle, too old, revoked). The filter answers scripts 401 login_required with a login
    // URL instead of a redirect, so the page keeps what the user typed and can retry after signing in.
    sessionEnded(json);
    const error = new Error((json && json.error_description) || 'Your sign-in has ended.');
    error.status = 401;
    throw error;
  }
  if (!response.ok) {
    const error = new Error((json && json.message) || `${method} ${path} answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

// Tells the user their sign-in ended and offers to sign in again in a new window, so that this page, its forms and the
// interrupted action stay as they are; Retry runs the action again.
function sessionEnded(body) {
  clearInterval(countdown);
  document.getElementById('expires').textContent = 'your sign-in has ended';
  const login = new URL((body && body.login) || 'login', window.location.href);
  login.searchParams.set('return_to', '/signed-in.html');
  document.getElementById('session-ended-text').textContent = 'Your sign-in has ended'
    + (body && body.error_description ? ` (${body.error_description})` : '') + '. Sign in again to carry on; '
    + 'this page keeps what you typed.';
  const signIn = document.getElementById('sign-in-again');
  signIn.onclick = () => {
    if (!window.open(login.toString(), 'pet-shop-sign-in', 'popup,width=520,height=680')) {
      window.location.href = new URL((body && body.login) || 'login', window.location.href).toString();
    }
  };
  document.getElementById('retry').hidden = retry === null;
  document.getElementById('session-ended').hidden = false;
}

function sessionResumed() {
  document.getElementById('session-ended').hidden = true;
  const again = retry;
  retry = null;
  if (again) {
    again();
  } else {
    reload();
  }
}

function show(text, ok) {
  const message = document.getElementById('message');
  message.textContent = text;
  message.className = ok ? 'ok' : 'error';
  message.hidden = false;
}

function element(tag, text, attributes = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
  return e;
}

// Text with a line-break opportunity after each separator of an ARN or a subject (/ | : @ .), so that a long one wraps
// at those rather than mid-word. Text nodes and <wbr> only: nothing is parsed as HTML.
function breakable(text) {
  const fragment = document.createDocumentFragment();
  for (const part of String(text ?? '').split(/(?<=[/|:@.])/)) {
    if (fragment.childNodes.length > 0) fragment.append(document.createElement('wbr'));
    fragment.append(document.createTextNode(part));
  }
  return fragment;
}

function showAll() {
  return document.getElementById('show-all-actions').checked;
}

async function loadMe() {
  try {
    me = await api('GET', 'api/me');
  } catch (e) {
    if (e.status === 403 && requestedRole()) {
      sessionStorage.removeItem(ROLE_KEY); // A role this user may not have: back to the rules' default.
      show(e.message, false);
      me = await api('GET', 'api/me');
    } else {
      throw e;
    }
  }
  if (me.use === 'console' && requestedRole()) {
    // Chosen earlier (or by hand): the shop cannot act with a console-only role, so explain and go back to the default.
    sessionStorage.removeItem(ROLE_KEY);
    show(`${me.role.name} is for the AWS console only: it has no permission for the pets API or your files. `
      + 'Use the AWS console button to sign in to the console with it.', false);
    me = await api('GET', 'api/me');
  }
  document.getElementById('who').textContent = me.email || '(no verified email)';
  document.getElementById('subject').replaceChildren(breakable(me.subject));
  // A provider without a connection claim (Keycloak's realm users) has no connection name: the type alone says it.
  document.getElementById('connection').textContent = me.connection
    ? `${me.connection} (${me.connectionType})` : `no connection claim (${me.connectionType})`;
  document.getElementById('role').textContent = me.role.name;
  document.getElementById('rule').textContent = me.rule;
  document.getElementById('rule').title = me.reason;
  // "Why this role?": the filter's explanation of the signed-in user's own role (admin.selfExplain), for the role in use.
  document.getElementById('why-role').href = 'admin/aws-delegation/explain?format=text'
    + (requestedRole() ? '&role=' + encodeURIComponent(requestedRole()) : '');
  document.getElementById('reason').textContent = me.reason;
  document.getElementById('assumed-role').replaceChildren(breakable(me.assumedRoleArn));
  document.getElementById('folder').replaceChildren(breakable(me.folder));
  // A role the shop cannot use for pets or files (the console role: no API or S3 permission) is listed, explained and
  // not selectable: acting as it would only collect AWS's refusals.
  const select = document.getElementById('role-select');
  select.replaceChildren(...me.permittedRoles.map(r => {
    const option = element('option', r.use === 'console' ? `${r.name} — console only` : r.name, { value: r.name });
    option.dataset.use = r.use;
    option.selected = r.arn === me.role.arn;
    option.disabled = r.use === 'console' && !option.selected;
    return option;
  }));
  const consoleOnly = me.permittedRoles.filter(r => r.use === 'console').map(r => r.name);
  document.getElementById('role-note').textContent = consoleOnly.length === 0 ? ''
    : `${consoleOnly.join(', ')}: console only — it has no permission for the pets API or your files; `
      + 'use the AWS console button to sign in to the console with it.';
  document.getElementById('pets-note').textContent = petsNote();
  // The sign-in session's end, when it comes before the credentials', is what limits the page: say so.
  const sessionFirst = me.sessionEndsAt && Date.parse(me.sessionEndsAt) <= Date.parse(me.credentialsExpireAt);
  startCountdown(Date.parse(me.expiresAt), sessionFirst);
  applyRole();
}

function startCountdown(expiresAt, sessionFirst) {
  clearInterval(countdown);
  const tick = () => {
    const seconds = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    const text = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
    if (sessionFirst) {
      document.getElementById('expires').textContent = seconds > 0
        ? `your sign-in lasts at least ${text} more` : 'your sign-in may have ended';
    } else {
      document.getElementById('expires').textContent = seconds > 0
        ? `expire in ${text} (renewed ahead of time)` : 'expired: renewing…';
    }
    if (seconds === 0) {
      clearInterval(countdown);
      loadMe().catch(e => { if (e.status !== 401) show(e.message, false); });
    }
  };
  tick();
  countdown = setInterval(tick, 1000);
}

// What the role does with pets, in words: the admin role adds and removes pets but, as in the tutorial, does not buy.
function petsNote() {
  const buyer = me.permittedRoles.find(r => r.use === 'buy' && r.arn !== me.role.arn);
  if (me.canManage && !me.canBuy) {
    return `Your role ${me.role.name} adds and removes pets; it may not buy them (AWS refuses it).`
      + (buyer ? ` To buy, act as ${buyer.name}.` : '');
  }
  if (me.canBuy && !me.canManage) {
    return `Your role ${me.role.name} buys pets; adding and removing them is the admin role's.`;
  }
  return me.canBuy ? `Your role ${me.role.name} buys, adds and removes pets.` : `Your role ${me.role.name} lists the pets only.`;
}

// Marks an action the role lacks, when the user asked to see it anyway: a visible label (read by screen readers too)
// besides the outline.
function markLacking(button, lacks) {
  button.classList.toggle('forced', lacks);
  let label = button.querySelector('.lacks');
  if (!label) {
    label = element('span', ' (your role lacks this)', { class: 'lacks' });
    button.append(label);
  }
  label.hidden = !lacks;
}

// Offers only what the role allows, unless the user asked to see everything.
function applyRole() {
  const all = showAll();
  document.getElementById('add-pet').hidden = !(me.canManage || all);
  document.querySelectorAll('button.buy').forEach(b => {
    b.hidden = !(me.canBuy || all) || b.dataset.sold === 'true';
    markLacking(b, !me.canBuy);
  });
  document.querySelectorAll('button.remove').forEach(b => {
    b.hidden = !(me.canManage || all);
    markLacking(b, !me.canManage);
  });
  markLacking(document.querySelector('#add-pet button'), !me.canManage);
}

async function loadPets() {
  const { pets } = await api('GET', 'api/pets');
  const rows = pets.map(pet => {
    const row = element('tr', null, { 'data-pet-id': pet.id });
    row.append(element('td', pet.id), element('td', pet.type, { class: 'type' }),
      element('td', `$${Number(pet.price).toFixed(2)}`, { class: 'price' }),
      element('td', null, { class: 'owner' }));
    row.querySelector('.owner').append(pet.owner ? breakable(pet.owner) : '—');
    const actions = element('td');
    const buy = element('button', 'Buy', { class: 'buy', type: 'button' });
    buy.dataset.sold = String(Boolean(pet.owner));
    buy.addEventListener('click', () => act(() => api('POST', `api/pets/${pet.id}/purchase`), `You bought the ${pet.type}.`));
    const remove = element('button', 'Remove', { class: 'remove danger', type: 'button' });
    remove.addEventListener('click', () => act(() => api('DELETE', `api/pets/${pet.id}`), `The ${pet.type} is gone.`));
    actions.append(buy, remove);
    row.append(actions);
    return row;
  });
  document.querySelector('#pet-list tbody').replaceChildren(...rows);
  applyRole();
}

async function loadFiles() {
  const { files } = await api('GET', 'api/files');
  const role = requestedRole() ? `?aws_role=${encodeURIComponent(requestedRole())}` : '';
  document.getElementById('file-list').replaceChildren(...files.map(file => {
    const item = element('li', null, { 'data-name': file.name });
    const link = element('a', `${file.name} (${file.size} bytes)`,
      { class: 'download', href: `api/files/${encodeURIComponent(file.name)}${role}`, download: file.name });
    const remove = element('button', 'Delete', { class: 'delete secondary', type: 'button' });
    remove.addEventListener('click', () => act(() => api('DELETE', `api/files/${encodeURIComponent(file.name)}`), `Deleted ${file.name}.`));
    item.append(link, remove);
    return item;
  }));
}

// Runs an action, shows its outcome (AWS's refusal included), and reloads what it may have changed; when the sign-in
// ended first, the action waits for Retry and the form keeps its values.
async function act(action, done, after = () => {}) {
  try {
    await action();
    show(done, true);
    after();
  } catch (e) {
    if (e.status === 401) {
      retry = () => act(action, done, after); // offered again once the user has signed in
      document.getElementById('retry').hidden = false;
      return;
    }
    show(e.message, false);
  }
  await Promise.all([loadPets(), loadFiles()]).catch(e => { if (e.status !== 401) show(e.message, false); });
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('show-all-actions').addEventListener('change', applyRole);
  document.getElementById('role-select').addEventListener('change', event => {
    sessionStorage.setItem(ROLE_KEY, event.target.value);
    reload();
  });
  document.getElementById('sign-out').addEventListener('click', () => sessionStorage.removeItem(ROLE_KEY));
  document.getElementById('retry').addEventListener('click', sessionResumed);
  window.addEventListener('message', event => {
    // The sign-in window (signed-in.html) reports back; only this origin is listened to.
    if (event.origin === window.location.origin && event.data && event.data.type === 'pet-shop:signed-in') {
      sessionResumed();
    }
  });
  document.getElementById('add-pet').addEventListener('submit', event => {
    event.preventDefault();
    const form = event.target;
    const pet = { type: form.type.value, price: Number(form.price.value) };
    act(() => api('POST', 'api/pets', JSON.stringify(pet), 'application/json'), `Added a ${pet.type}.`, () => form.reset());
  });
  document.getElementById('upload').addEventListener('submit', event => {
    event.preventDefault();
    const file = event.target.file.files[0];
    if (!file) return;
    const form = event.target;
    act(() => api('PUT', `api/files/${encodeURIComponent(file.name)}`, file, file.type || 'application/octet-stream'),
      `Uploaded ${file.name}.`, () => form.reset());
  });
  document.getElementById('peek').addEventListener('submit', async event => {
    event.preventDefault();
    const subject = event.target.subject.value.trim();
    try {
      const folder = await api('GET', `api/folders/${encodeURIComponent(subject)}`);
      show(`${folder.folder} holds ${folder.files.length} file(s).`, true);
    } catch (e) {
      show(e.message, false);
    }
  });
  reload();
});

function reload() {
  loadMe().then(() => Promise.all([loadPets(), loadFiles()])).catch(e => { if (e.status !== 401) show(e.message, false); });
}
