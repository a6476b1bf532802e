// The home page asks api/me whether the visitor is signed in: then it greets them and offers the shop and signing
// out instead of "Sign in". Not signed in, api/me answers 401 (no redirect: this is a fetch) and the page stays as it is.
'use strict';

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('sign-out').addEventListener('click', () => sessionStorage.removeItem('pet-shop.role'));
  let response;
  try {
    response = await fetch('api/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    return; // the shop is unreachable: "Sign in" stays
  }
  if (!response.ok) return;
  const me = await response.json();
  document.getElementById('signed-in-as').textContent = me.email || me.subject;
  document.getElementById('signed-in-role').textContent = `as ${me.role.name}, by rule ${me.rule}`;
  document.getElementById('signed-out').hidden = true;
  document.getElementById('signed-in').hidden = false;
});
