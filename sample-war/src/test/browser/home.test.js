// The public home page, and what a visitor who has not signed in gets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newIsolatedContext, screenshot } from './support/browser.js';
import { expectIdentityProviderLogin, isAppPage, url } from './support/sample.js';

describe('a visitor who has not signed in', { timeout: 120_000 }, () => {
  let browser;
  let context;
  let page;

  before(async () => {
    browser = await launchBrowser();
    context = await newIsolatedContext(browser);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('sees the public home page, "Pet shop", without signing in', async () => {
    const response = await page.goto(url());

    assert.equal(response.status(), 200);
    assert.ok(isAppPage(page.url(), ''), `still on the home page, not ${page.url()}`);
    assert.equal(await page.locator('h1').innerText(), 'Pet shop');
    await screenshot(page, 'home-01-public-page');
  });

  it('is taken to the identity provider\'s login page by "Sign in"', async () => {
    await page.goto(url());
    await page.locator('a#sign-in').click();

    await expectIdentityProviderLogin(page);
    assert.equal(await page.locator('#continue-with-amazon').innerText(), 'Continue with Amazon');
    await screenshot(page, 'home-02-identity-provider-login');
  });

  it('sees the demo users and the demo password on the local IdP\'s login page, marked as a demo', async () => {
    const demo = page.locator('#demo-users');

    assert.match(await demo.innerText(), /Demo identity provider/);
    assert.equal(await demo.locator('#demo-username').innerText(), 'admin@example.com');
    assert.equal(await demo.locator('#demo-password').innerText(), 'admin-password');
    assert.match(await demo.innerText(), /Continue with Amazon.*buyer@example\.com/);
  });

  it('is offered "Sign in" on the home page, not a greeting: api/me answers 401 to a visitor', async () => {
    const me = page.waitForResponse((r) => isAppPage(r.url(), 'api/me'));
    await page.goto(url());

    assert.equal((await me).status(), 401);
    await page.waitForFunction(() => document.readyState === 'complete');
    assert.equal(await page.locator('a#sign-in').isVisible(), true);
    assert.equal(await page.locator('#signed-in').isHidden(), true);
  });

  it('cannot open the shop page: it asks them to sign in first', async () => {
    await page.goto(url('shop.html'));

    await expectIdentityProviderLogin(page);
    assert.equal(await page.locator('#pet-list').count(), 0, 'no pet list before signing in');
  });

  it('made no request beyond 127.0.0.1', () => {
    assert.deepEqual(context.external, []);
    assert.deepEqual(context.pageErrors, []);
  });
});
