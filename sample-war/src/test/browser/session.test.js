// When the sign-in session ends while the shop page is open (idle, too old, revoked at the provider), the page's
// requests get 401 login_required from the filter instead of a redirect: the page says so, keeps what the user typed,
// lets them sign in again in a new window, and retries the interrupted action.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newIsolatedContext, screenshot } from './support/browser.js';
import { ADMIN, callApi, expectIdentityProviderLogin, expectShopLoaded, isAppPage, logInAt, url } from './support/sample.js';

describe('a user whose sign-in ends while the shop page is open', { timeout: 300_000 }, () => {
  let browser;
  let context;
  let page;
  const type = `gecko-${process.pid}`;

  before(async () => {
    browser = await launchBrowser();
    context = await newIsolatedContext(browser);
    page = await context.newPage();
    await page.goto(url('shop.html'));
    await logInAt(page, ADMIN);
    await expectShopLoaded(page);
  });

  after(async () => {
    await browser?.close();
  });

  it('gets a machine-readable 401 from the API once the session is gone', async () => {
    // Dropping the session cookie is what the page sees when the server ended the session.
    await context.clearCookies();

    const answer = await callApi(page, 'api/me');

    assert.equal(answer.status, 401);
    assert.equal(answer.json?.error, 'login_required', answer.text);
    assert.match(answer.json.login, /\/login\?return_to=/);
  });

  it('says the sign-in ended, keeps the form, and retries adding the pet after signing in again in a new window', async () => {
    await page.locator('#add-pet input[name=type]').fill(type);
    await page.locator('#add-pet input[name=price]').fill('7.25');
    await page.locator('#add-pet button[type=submit]').click();

    await page.locator('#session-ended').waitFor();
    assert.match(await page.locator('#session-ended-text').innerText(), /sign-in has ended/i);
    assert.equal(await page.locator('#retry').isVisible(), true, 'Retry is offered');
    assert.equal(await page.locator('#add-pet input[name=type]').inputValue(), type, 'the form kept what was typed');
    assert.ok(isAppPage(page.url(), 'shop.html'), `the page stayed: ${page.url()}`);
    await screenshot(page, 'session-01-ended-notice');

    const popupOpened = page.waitForEvent('popup');
    await page.locator('#sign-in-again').click();
    const popup = await popupOpened;
    await expectIdentityProviderLogin(popup);
    await popup.locator('#username').fill(ADMIN.username);
    await popup.locator('#password').fill(ADMIN.password);
    const closed = popup.waitForEvent('close');
    await popup.locator('#login').click();
    await closed; // signed-in.html told the shop and closed itself

    await page.locator('#session-ended').waitFor({ state: 'hidden' });
    const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.getByText(type, { exact: true }) });
    await row.waitFor();
    assert.equal(await row.locator('.price').innerText(), '$7.25');
    assert.equal(await page.locator('#add-pet input[name=type]').inputValue(), '', 'the form is cleared once the pet is added');
    await screenshot(page, 'session-02-retried');

    await row.locator('button.remove').click(); // leave the shop as it was
    await row.waitFor({ state: 'detached' });
  });

  it('made no request beyond 127.0.0.1 and raised no script error', () => {
    assert.deepEqual(context.external, []);
    assert.deepEqual(context.pageErrors, []);
  });
});
