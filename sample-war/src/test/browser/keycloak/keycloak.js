// The Keycloak that KeycloakIT starts (realms from sample-war/src/test/keycloak/import) and what the suite does there.
import assert from 'node:assert/strict';
import { BASE, isAppPage } from '../support/sample.js';

for (const name of ['KEYCLOAK_URL', 'KEYCLOAK_ADMIN_PASSWORD']) {
  if (!process.env[name]) {
    throw new Error(`${name} is not set: run this suite through KeycloakIT (mvn verify -pl sample-war -Dit.test=KeycloakIT)`);
  }
}

/** Keycloak's base URL, without a trailing slash. */
export const KEYCLOAK = process.env.KEYCLOAK_URL.replace(/\/$/, '');

/** The realm's ID-token lifetime (its accessTokenLifespan), in seconds. */
export const ID_TOKEN_SECONDS = Number(process.env.ID_TOKEN_LIFETIME_SECONDS || 60);

/** A user of the petshop realm itself: no identity_provider claim, so the "database" connection, the admin role. */
export const REALM_USER = Object.freeze({
  username: 'admin', password: 'admin-pass', email: 'admin@example.com', role: 'pet-shop-admin', rule: 'database-admins',
  connectionType: 'database',
});

/** A user of the social realm, brokered into petshop as identity provider "amazon": a listed social connection. */
export const AMAZON_USER = Object.freeze({
  broker: 'amazon', username: 'buyer', password: 'buyer-pass', email: 'buyer@example.com', role: 'pet-shop-buyer',
  rule: 'social-buyers', connectionType: 'social',
});

/** A user of the github realm, brokered as "github": a connection the app's mapping does not list. */
export const GITHUB_USER = Object.freeze({ broker: 'github', username: 'octocat', password: 'octocat-pass', email: 'octocat@example.com' });

/** Whether a URL is one of Keycloak's pages in a realm. */
export function isKeycloakPage(pageUrl, realm) {
  const u = new URL(pageUrl);
  return u.origin === new URL(KEYCLOAK).origin && u.pathname.startsWith(`/realms/${realm}/`);
}

/** Waits for Keycloak's login page of a realm: username, password, and (in petshop) the brokers' buttons. */
export async function expectKeycloakLogin(page, realm = 'petshop') {
  await page.waitForURL((u) => isKeycloakPage(u.toString(), realm));
  await page.locator('#kc-login').waitFor();
}

/** Signs in on Keycloak's login page (the page shows it), directly or through a broker, and waits to be back in the app. */
export async function keycloakLogIn(page, user) {
  await expectKeycloakLogin(page, 'petshop');
  if (user.broker) {
    await page.locator(`a#social-${user.broker}`).click();
    await expectKeycloakLogin(page, user.broker === 'amazon' ? 'social' : user.broker);
  }
  await page.locator('#username').fill(user.username);
  await page.locator('#password').fill(user.password);
  await page.locator('#kc-login').click();
  await page.waitForURL((u) => new URL(u).origin === BASE.origin && !isAppPage(u.toString(), 'callback'));
}

async function admin(path, { method = 'GET', body } = {}) {
  if (!admin.token || admin.expires < Date.now()) {
    const response = await fetch(`${KEYCLOAK}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin',
        password: process.env.KEYCLOAK_ADMIN_PASSWORD }),
    });
    assert.equal(response.status, 200, 'the master realm administrator signs in to the admin REST API');
    const json = await response.json();
    admin.token = json.access_token;
    admin.expires = Date.now() + (json.expires_in - 10) * 1000;
  }
  const response = await fetch(`${KEYCLOAK}/admin/realms/${path}`, {
    method,
    headers: { Authorization: `Bearer ${admin.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${method} /admin/realms/${path} answered ${response.status}`);
  return response.status === 204 || response.status === 201 ? null : response.json();
}

/**
 * Signs a user out of every Keycloak session as an administrator would (POST /admin/realms/{realm}/users/{id}/logout);
 * Keycloak then sends a back-channel logout token to each client that has a back-channel logout URL.
 */
export async function signOutUserAtKeycloak(realm, username) {
  const [user] = await admin(`${realm}/users?username=${encodeURIComponent(username)}&exact=true`);
  assert.ok(user, `no user ${username} in realm ${realm}`);
  await admin(`${realm}/users/${user.id}/logout`, { method: 'POST' });
}

/** The kid of the realm's active RS256 signing key. */
export async function activeSigningKid(realm) {
  return (await admin(`${realm}/keys`)).active.RS256;
}

/** The kids the realm's JWKS (its certs endpoint, what relying parties fetch) publishes. */
export async function publishedKids(realm) {
  const response = await fetch(`${KEYCLOAK}/realms/${realm}/protocol/openid-connect/certs`);
  return (await response.json()).keys.map((k) => k.kid);
}

/**
 * Rotates the realm's RS256 signing key as Keycloak's server administration guide advises (the admin REST calls behind
 * keycloak.md's kcadm commands): a new generated key of higher priority, which signs from now on, and the old keys made
 * passive — no longer used to sign, still there to verify what they signed (until those tokens are gone; withdrawing
 * them at once would, for one, make Keycloak refuse an earlier session's ID token as id_token_hint at sign-out).
 */
export async function rotateSigningKey(realm) {
  const realmId = (await admin(realm)).id;
  const providers = await admin(`${realm}/components?type=org.keycloak.keys.KeyProvider`);
  const old = providers.filter((c) => c.providerId === 'rsa-generated');
  assert.ok(old.length >= 1, 'the realm has a generated RSA key to rotate');
  await admin(`${realm}/components`, { method: 'POST', body: {
    name: `rsa-rotated-${Date.now()}`, providerId: 'rsa-generated', providerType: 'org.keycloak.keys.KeyProvider', parentId: realmId,
    config: { priority: ['200'], enabled: ['true'], active: ['true'], algorithm: ['RS256'], keySize: ['2048'] },
  } });
  for (const provider of old) {
    await admin(`${realm}/components/${provider.id}`, { method: 'PUT', body: {
      ...provider, config: { ...provider.config, active: ['false'] },
    } });
  }
}

/** A URL without its query: what a failure message may show (a logout URL's query holds the ID token). */
export function withoutQuery(pageUrl) {
  const u = new URL(pageUrl);
  return `${u.origin}${u.pathname}`;
}
