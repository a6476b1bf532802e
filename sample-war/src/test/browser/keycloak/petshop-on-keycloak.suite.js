// The pet shop signed in through a real Keycloak (KeycloakIT starts it, the local AWS trusting it, and the sample
// pointed at it by variables only). Not a *.test.js file: BrowserIT's run of ../ must not pick it up; KeycloakIT runs
// it by name. One long-lived session (the realm user's) spans two ID-token lifetimes while the other checks run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newIsolatedContext, screenshot } from '../support/browser.js';
import { BASE, callApi, expectNoSecretsOrStackTraces, expectShopLoaded, isAppPage, messageAfter, url } from '../support/sample.js';
import {
  AMAZON_USER, GITHUB_USER, ID_TOKEN_SECONDS, REALM_USER, activeSigningKid, expectKeycloakLogin, isKeycloakPage, keycloakLogIn,
  publishedKids, rotateSigningKey, signOutUserAtKeycloak, withoutQuery,
} from './keycloak.js';

/** Opens the shop in a fresh browser profile, signs in on Keycloak as `user`, and answers the page once back in the app. */
async function signInToShop(browser, user, contexts) {
  const context = await newIsolatedContext(browser);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url('shop.html'));
  await keycloakLogIn(page, user);
  return page;
}

async function expectStatusPanel(page, user) {
  await expectShopLoaded(page).catch(async (e) => {
    const text = await page.locator('body').innerText().catch(() => '');
    throw new Error(`the shop did not load for ${user.email} at ${withoutQuery(page.url())}; the page says: ${text.slice(0, 300)}`, { cause: e });
  });
  assert.ok(isAppPage(page.url(), 'shop.html'), withoutQuery(page.url()));
  assert.equal(await page.locator('#who').innerText(), user.email);
  assert.match(await page.locator('#subject').innerText(), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'a Keycloak user id as the subject');
  assert.match(await page.locator('#connection').innerText(), new RegExp(`\\(${user.connectionType}\\)$`));
  assert.equal(await page.locator('#role').innerText(), user.role);
  assert.equal(await page.locator('#rule').innerText(), user.rule);
  assert.match(await page.locator('#assumed-role').innerText(), new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/${user.role}/\\S+$`));
}

/** Chooses another of the user's permitted roles with "Act as" and waits until AWS sees the session as that role. */
async function actAs(page, role) {
  await page.locator('#role-select').selectOption({ label: role });
  await page.locator('#role').filter({ hasText: role }).waitFor({ timeout: 30_000 });
  await page.locator('#assumed-role').filter({ hasText: new RegExp(`assumed-role/${role}/`) }).waitFor({ timeout: 30_000 });
}

/** Buys the first unsold pet from the shop page and answers the message it shows. */
async function buyAPet(page) {
  const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.locator('button.buy:visible') }).first();
  const message = await messageAfter(page, () => row.locator('button.buy').click());
  assert.equal(message.kind, 'ok', message.text);
  return message;
}

/** Uploads a small file to the user's own folder and waits until the list shows it. */
async function uploadAFile(page, name) {
  await page.locator('#upload input[type=file][name=file]').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(`${name}\n`) });
  const message = await messageAfter(page, () => page.locator('#upload button[type=submit]').click());
  assert.equal(message.kind, 'ok', message.text);
  await page.locator(`#file-list li[data-name="${name}"]`).waitFor();
}

async function waitUntil(instant) {
  const ms = instant - Date.now();
  if (ms > 0) {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

describe('the pet shop signed in through Keycloak', { timeout: 600_000 }, () => {
  let browser;
  const contexts = [];
  let longSession; // the realm user's page, kept open across two ID-token lifetimes
  let signedInAt;
  const longSessionBackAtKeycloak = [];
  let brokeredSession; // the amazon user's page, which signs out at the end

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  // Relies on the connection mapping (AWS_DELEGATION_CONNECTION_ABSENT=database: no identity_provider claim).
  it('a user of the realm itself signs in on Keycloak and gets the admin role (connection "database")', async () => {
    longSession = await signInToShop(browser, REALM_USER, contexts);
    signedInAt = Date.now();
    // Keycloak's own session would sign the user in again without a page: going there at all is not continuity.
    longSession.on('framenavigated', (frame) => {
      if (frame === longSession.mainFrame() && isKeycloakPage(frame.url(), 'petshop')) longSessionBackAtKeycloak.push(withoutQuery(frame.url()));
    });

    await expectStatusPanel(longSession, REALM_USER);
    await screenshot(longSession, 'keycloak-01-realm-user-admin');
  });

  // Relies on the connection mapping (AWS_DELEGATION_CONNECTION_TYPES=amazon=social).
  it('a user brokered through the listed provider "amazon" gets the buyer role (connection "amazon (social)")', async () => {
    const page = await signInToShop(browser, AMAZON_USER, contexts);
    brokeredSession = page;

    await expectStatusPanel(page, AMAZON_USER);
    assert.equal(await page.locator('#connection').innerText(), 'amazon (social)');
    await screenshot(page, 'keycloak-02-amazon-user-buyer');
  });

  it('a user brokered through an unlisted provider ("github") gets no role: the app answers 403 and says why', async () => {
    const context = await newIsolatedContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    const shop = page.waitForResponse((r) => isAppPage(r.url(), 'shop.html') && r.request().isNavigationRequest()
      && new URL(r.url()).search === '' && r.status() !== 302, { timeout: 60_000 });
    await page.goto(url('shop.html'));
    await keycloakLogIn(page, GITHUB_USER);

    const response = await shop;
    assert.equal(response.status(), 403);
    const text = await page.locator('body').innerText();
    assert.match(text, /no role rule matches this user/);
    assert.equal(await page.locator('#pet-list').count(), 0, 'no shop for them');
    await expectNoSecretsOrStackTraces(page);
    await screenshot(page, 'keycloak-03-github-user-403');
  });

  // Relies on the filter fetching the JWKS again for an unknown kid (and on the connection mapping, for the role).
  it('after Keycloak rotates its signing key (the old one passive), a new sign-in with a key the app has never seen works without restarting the app', async () => {
    const before = await activeSigningKid('petshop');
    const publishedBefore = await publishedKids('petshop');

    await rotateSigningKey('petshop');

    const after = await activeSigningKid('petshop');
    assert.notEqual(after, before, 'a new active signing key');
    assert.ok(!publishedBefore.includes(after), 'a key the app cannot have fetched before');
    const published = await publishedKids('petshop');
    assert.ok(published.includes(after), `the JWKS publishes the new key: ${published.join(', ')}`);
    const page = await signInToShop(browser, REALM_USER, contexts);
    await expectStatusPanel(page, REALM_USER);
    await screenshot(page, 'keycloak-04-signed-in-after-key-rotation');
  });

  // Relies on the relying-party session outliving the ID token, renewed by the refresh token when STS needs one.
  it(`the realm user's session outlives two ID-token lifetimes (${ID_TOKEN_SECONDS} s each): after each expiry a new role is assumed with a refreshed ID token, and a purchase and uploads work`, async () => {
    assert.ok(longSession, 'the realm user signed in above');
    await waitUntil(signedInAt + (ID_TOKEN_SECONDS + 5) * 1000);

    // The sign-in's ID token has expired. Acting as the buyer makes the filter call STS for a role it has no
    // credentials for: the local STS refuses an expired token, so this works only with an ID token refreshed at
    // Keycloak (signed with the rotated key, too).
    await longSession.reload();
    await expectStatusPanel(longSession, REALM_USER);
    await actAs(longSession, AMAZON_USER.role);
    await buyAPet(longSession);
    await uploadAFile(longSession, `after-first-expiry-${process.pid}.txt`);
    await screenshot(longSession, 'keycloak-05-after-first-id-token-expiry');
    assert.deepEqual(longSessionBackAtKeycloak, [], 'the app kept its session: it did not send the browser back to Keycloak');

    await waitUntil(signedInAt + (2 * ID_TOKEN_SECONDS + 10) * 1000);
    await actAs(longSession, REALM_USER.role);
    const me = await callApi(longSession, 'api/me', { headers: { 'X-AWS-Role': REALM_USER.role } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.role.name, REALM_USER.role);
    await uploadAFile(longSession, `after-second-expiry-${process.pid}.txt`);
    assert.ok(isAppPage(longSession.url(), 'shop.html'), withoutQuery(longSession.url()));
    assert.deepEqual(longSessionBackAtKeycloak, [], 'the app kept its session: it did not send the browser back to Keycloak');
  });

  // Relies on OpenID Connect Back-Channel Logout: the realm's client has backchannel.logout.url (the app's
  // login.backchannelLogoutPath) and backchannel.logout.session.required. Keycloak's admin sign-out of a user ends all
  // of the user's Keycloak sessions but sends ONE logout token, with the user's sub and the sid of one of those
  // sessions (seen with Keycloak 26.4: three sessions, one token) — the suite signs the same user in several times, so
  // the sid is seldom this page's. The filter takes a sub to mean the user (docs/operations.md, "Cutting a user off").
  it('an administrator signs the realm user out at Keycloak: Keycloak\'s back-channel logout ends the app\'s session, whose next fetch gets 401 login_required', async () => {
    // A fresh sign-in: its ID token and credentials are valid, so nothing but the back-channel logout can end it
    // (the long session above would also end by its refresh token being refused, which proves something else).
    const page = await signInToShop(browser, REALM_USER, contexts);
    await expectStatusPanel(page, REALM_USER);
    const before = await callApi(page, 'api/me');
    assert.equal(before.status, 200, before.text);

    await signOutUserAtKeycloak('petshop', REALM_USER.username);

    // Keycloak may send the logout token after its admin call answers: wait for it, a few seconds at most.
    let after;
    for (let i = 0; i < 40; i++) {
      after = await callApi(page, 'api/me');
      if (after.status !== 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(after.status, 401, after.text);
    assert.equal(after.json.error, 'login_required', after.text);
    // Ended by the logout token itself, not by a refresh Keycloak refused later (this sign-in's ID token is fresh): by
    // its sid when Keycloak named this page's session, else by its sub (the user's sessions from before the logout).
    assert.match(after.json.error_description,
      /^the provider ended this sign-in session \(back-channel logout\)|^the user's sessions were ended \(signed out at the provider/,
      after.text);
    assert.doesNotMatch(after.json.error_description, /refresh token/, after.text);
    assert.doesNotMatch(after.text, /\b(ASIA|AKIA)[A-Z0-9]{12,}\b|sessionToken/, 'no credentials in the answer');
  });

  // Relies on RP-initiated logout with id_token_hint (Keycloak then asks nothing) and, this late, on the session
  // kept past its ID token's expiry.
  it('the brokered user signs out through Keycloak and back to the app with no confirmation page, which ends the Keycloak session too', async () => {
    assert.ok(brokeredSession, 'the amazon user signed in above');
    const page = brokeredSession;
    // Every hop of the way out, redirects included (they commit no page, so framenavigated would not see them).
    const visited = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) visited.push(request.url());
    });

    await page.locator('#sign-out').click();

    await page.waitForURL((u) => isAppPage(u.toString(), '') || isAppPage(u.toString(), 'index.html'), { timeout: 20_000 })
      .catch(async (e) => {
        const text = await page.locator('body').innerText().catch(() => '');
        throw new Error(`not back in the app after signing out; at ${withoutQuery(page.url())}: ${text.slice(0, 200)}`
          + ` (${e.message.split('\n')[0]})`);
      });
    assert.ok(visited.some((u) => isKeycloakPage(u, 'petshop') && new URL(u).pathname.endsWith('/protocol/openid-connect/logout')),
      `signed out at Keycloak's end-session endpoint on the way: ${visited.map(withoutQuery).join(' -> ')}`);
    assert.equal(await page.locator('a#sign-in').isVisible(), true);
    await screenshot(page, 'keycloak-06-signed-out');

    await page.goto(url('shop.html'));
    await expectKeycloakLogin(page, 'petshop');
  });

  it('made no request beyond 127.0.0.1 and raised no script error', () => {
    for (const context of contexts) {
      assert.deepEqual(context.external, []);
      assert.deepEqual(context.pageErrors, []);
    }
  });
});
