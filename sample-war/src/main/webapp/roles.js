// "My roles": the roles the user's rule permits (saml/roles, the app's role listing), what this shop does with each
// (api/me), and, for the roles the command-line client can use, the ~/.aws/config profile to copy. Values are written
// with textContent, never as HTML.
'use strict';

function element(tag, text, attributes = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
  return e;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    window.location.href = new URL((json && json.login) || 'login', window.location.href).toString();
    throw new Error('Your sign-in has ended.');
  }
  if (!response.ok) throw new Error((json && (json.message || json.error_description)) || `${path} answered ${response.status}`);
  return json;
}

// What the shop does with a role, from api/me's "use".
const USES = {
  buy: 'In this shop: buys pets, and your own folder of files.',
  manage: 'In this shop: adds and removes pets (it may not buy them), and your own folder of files.',
  console: 'Console only — it has no permission for the pets API or your files, so the shop does not act as it. '
    + 'Use the AWS console button on the shop page, or the profile below.',
};

// The ~/.aws/config section for the command-line client (docs/cli.md), with this app's URL.
function profile(role) {
  const app = new URL('.', window.location.href).toString().replace(/\/$/, '');
  return `[profile ${role.profile}]\n`
    + `# role ${role.roleArn} in account ${role.accountAlias ? `${role.accountAlias} (${role.accountId})` : role.accountId}\n`
    + `credential_process = java -jar aws-delegation-cli-all.jar credential-process --url ${app} -p ${role.profile}\n`;
}

function copyButton(pre) {
  const button = element('button', 'Copy', { type: 'button', class: 'secondary copy' });
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(pre.textContent);
      button.textContent = 'Copied';
    } catch {
      window.getSelection().selectAllChildren(pre); // no clipboard: selected, for Ctrl-C
      button.textContent = 'Selected: press Ctrl-C';
    }
  });
  return button;
}

async function load() {
  const [listing, me] = await Promise.all([getJson('saml/roles'), getJson('api/me')]);
  const uses = new Map(me.permittedRoles.map(r => [r.arn, r.use]));
  document.getElementById('rule').textContent = listing.rule;
  document.getElementById('roles').replaceChildren(...listing.roles.map(role => {
    const item = element('li', null, { 'data-role': role.roleName });
    const title = element('h3', role.roleName);
    if (role.default) title.append(element('span', 'your default', { class: 'role-kind' }));
    const use = uses.get(role.roleArn);
    item.append(title, element('p', role.roleArn, { class: 'arn' }),
      element('p', USES[use] || 'Not used by this shop.', { class: 'use' }));
    if (role.console) {
      const pre = element('pre', profile(role), { class: 'snippet' });
      item.append(element('p', 'For the AWS CLI, in ~/.aws/config:', { class: 'hint' }), pre, copyButton(pre));
    } else {
      item.append(element('p', 'Not for the console or the command line: the shop uses it for you, with a session '
        + 'policy that narrows it to your own folder, which a console or CLI session could not carry.', { class: 'hint cli' }));
    }
    return item;
  }));
}

document.addEventListener('DOMContentLoaded', () => {
  load().catch(e => {
    const message = document.getElementById('message');
    message.textContent = e.message;
    message.className = 'error';
    message.hidden = false;
  });
});
