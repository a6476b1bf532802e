// The database user (username and password): the admin role runs the shop but, as in the tutorial, may not buy
// pets (AWS refuses it); the rule lets it act as a buyer instead.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newIsolatedContext, screenshot } from './support/browser.js';
import { ADMIN, expectNoSecretsOrStackTraces, expectShopLoaded, isAppPage, logInAt, messageAfter, url } from './support/sample.js';

describe('a database user who signs in with a password (the admin)', { timeout: 300_000 }, () => {
  let browser;
  let context;
  let page;
  const type = `parrot-${process.pid}`;

  before(async () => {
    browser = await launchBrowser();
    context = await newIsolatedContext(browser);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  it('opens the shop page, signs in on the way, and is the admin role granted by the database-admins rule', async () => {
    await page.goto(url('shop.html'));
    await logInAt(page, ADMIN);
    await expectShopLoaded(page);

    assert.ok(isAppPage(page.url(), 'shop.html'), page.url());
    assert.equal(await page.locator('#who').innerText(), ADMIN.email);
    assert.match(await page.locator('#subject').innerText(), /^auth0\|[0-9a-f]{24}$/);
    assert.match(await page.locator('#connection').innerText(), /^\S+ \(database\)$/);
    assert.equal(await page.locator('#role').innerText(), ADMIN.role);
    assert.equal(await page.locator('#rule').innerText(), ADMIN.rule);
    assert.match(await page.locator('#assumed-role').innerText(), /^arn:aws:sts::\d{12}:assumed-role\/pet-shop-admin\/\S+$/);
    assert.equal(await page.locator('#add-pet').isVisible(), true, 'the add form is offered');
    assert.ok(await page.locator('button.remove:visible').count() >= 1, 'remove buttons are offered');
    await screenshot(page, 'admin-01-shop');
  });

  it('adds a pet, which the list then shows with its price', async () => {
    await page.locator('#add-pet input[name=type]').fill(type);
    await page.locator('#add-pet input[name=price]').fill('12.50');

    const message = await messageAfter(page, () => page.locator('#add-pet button[type=submit]').click());

    assert.equal(message.kind, 'ok', message.text);
    const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.getByText(type, { exact: true }) });
    await row.waitFor();
    assert.equal(await row.locator('.price').innerText(), '$12.50');
    await screenshot(page, 'admin-02-pet-added');
  });

  it('removes that pet again', async () => {
    const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.getByText(type, { exact: true }) });

    const message = await messageAfter(page, () => row.locator('button.remove').click());

    assert.equal(message.kind, 'ok', message.text);
    await row.waitFor({ state: 'detached' });
    await screenshot(page, 'admin-03-pet-removed');
  });

  it('is offered no "Buy", and the page says why: the admin role adds and removes pets but may not buy them', async () => {
    assert.equal(await page.locator('button.buy:visible').count(), 0, 'no Buy button');
    assert.match(await page.locator('#pets-note').innerText(),
      /pet-shop-admin adds and removes pets; it may not buy them .*act as pet-shop-buyer/);
    assert.match(await page.locator('#reason').innerText(), /\S/, 'the rule\'s reason is shown as text, not only in a tooltip');
  });

  it('forcing "Buy" through "Show actions my role lacks": the button says the role lacks it, and AWS refuses the purchase', async () => {
    await page.locator('#show-all-actions').check();
    const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.locator('button.buy:visible') }).first();
    const id = await row.getAttribute('data-pet-id');
    const buy = row.locator('button.buy');
    assert.match(await buy.innerText(), /Buy\s*\(your role lacks this\)/, 'a label, not only an outline');
    assert.equal(await buy.evaluate((b) => b.getBoundingClientRect().right <= document.getElementById('pets').getBoundingClientRect().right),
      true, 'the labelled button stays inside the Pets card');

    const denial = await messageAfter(page, () => buy.click());

    assert.equal(denial.kind, 'error');
    assert.match(denial.text, /AWS denied this: your role pet-shop-admin may not buy pet/);
    await expectNoSecretsOrStackTraces(page);
    assert.equal(await page.locator(`#pet-list tbody tr[data-pet-id="${id}"] .owner`).innerText(), '—', 'the pet is still unsold');
    await screenshot(page, 'admin-04-buy-denied');
    await page.locator('#show-all-actions').uncheck();
  });

  it('sees pet-shop-console in the role switcher marked "console only", explained, and not selectable', async () => {
    const option = page.locator('#role-select option[value="pet-shop-console"]');

    assert.match(await option.innerText(), /console only/);
    assert.equal(await option.isDisabled(), true);
    assert.match(await page.locator('#role-note').innerText(), /pet-shop-console: console only — .*AWS console button/);
  });

  it('is offered the buyer role too, and acting as the buyer no longer offers adding or removing pets', async () => {
    const offered = await page.locator('#role-select option').allInnerTexts();
    assert.ok(offered.includes('pet-shop-buyer'), `the role switcher offers ${offered.join(', ')}`);
    assert.equal(await page.locator('#role-select option:checked').innerText(), ADMIN.role);

    await page.locator('#role-select').selectOption({ label: 'pet-shop-buyer' });

    await page.locator('#role').filter({ hasText: 'pet-shop-buyer' }).waitFor();
    await page.locator('#assumed-role').filter({ hasText: /assumed-role\/pet-shop-buyer\// }).waitFor();
    await page.locator('#add-pet').waitFor({ state: 'hidden' });
    assert.equal(await page.locator('button.remove:visible').count(), 0, 'no remove button');
    assert.equal(await page.locator('#rule').innerText(), ADMIN.rule, 'the same rule permits it');
    await screenshot(page, 'admin-05-acting-as-buyer');
  });

  it('acting as the buyer, buys a pet: the multi-role point of the tutorial', async () => {
    const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.locator('button.buy:visible') }).first();
    const type = await row.locator('.type').innerText();

    const message = await messageAfter(page, () => row.locator('button.buy').click());

    assert.equal(message.kind, 'ok', message.text);
    assert.match(message.text, new RegExp(`bought the ${type}`));
  });

  it('made no request beyond 127.0.0.1 and raised no script error', () => {
    assert.deepEqual(context.external, []);
    assert.deepEqual(context.pageErrors, []);
  });
});
