// The social user ("Continue with Amazon"): the buyer role, what it may and may not do, its files, its roles,
// console sign-in (to the testkit's stand-in for AWS's sign-in endpoint), the home page, and signing out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, newIsolatedContext, screenshot } from './support/browser.js';
import {
  ADMIN, BASE, BUYER, callApi, countdownSeconds, expectIdentityProviderLogin, expectNoSecretsOrStackTraces, expectShopLoaded,
  isAppPage, messageAfter, signIn, subjectShownTo, url,
} from './support/sample.js';

describe('a social user who continues with Amazon (the buyer)', { timeout: 300_000 }, () => {
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

  it('signs in from the home page and lands on the shop, as the buyer role granted by the social-buyers rule', async () => {
    await signIn(page, BUYER);
    await expectShopLoaded(page);

    assert.ok(isAppPage(page.url(), 'shop.html'), page.url());
    assert.equal(await page.locator('#who').innerText(), BUYER.email);
    assert.equal(await page.locator('#subject').innerText(), BUYER.subject);
    assert.match(await page.locator('#connection').innerText(), new RegExp(`^${BUYER.connection}\\b.*\\(social\\)`));
    assert.equal(await page.locator('#role').innerText(), BUYER.role);
    assert.equal(await page.locator('#rule').innerText(), BUYER.rule);
    assert.match(await page.locator('#assumed-role').innerText(), /^arn:aws:sts::\d{12}:assumed-role\/pet-shop-buyer\/\S+$/);
    await screenshot(page, 'buyer-01-shop');
  });

  it('sees the assumed-role ARN and subject wrap at their separators on a narrow screen, not overflow the panel', async () => {
    assert.ok(await page.locator('#assumed-role wbr').count() >= 4, 'break opportunities after : and /');
    await page.setViewportSize({ width: 380, height: 900 });
    try {
      const overflow = await page.evaluate(() => ['status'].map((id) => {
        const section = document.getElementById(id);
        return { id, scroll: section.scrollWidth, client: section.clientWidth };
      }).filter((s) => s.scroll > s.client));
      assert.deepEqual(overflow, [], 'the status panel does not scroll sideways');
      await screenshot(page, 'buyer-01b-narrow-status-panel');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('is greeted on the home page by name, with "Open the shop" and "Sign out" instead of "Sign in"', async () => {
    await page.goto(url());

    await page.locator('#signed-in').waitFor();
    assert.equal(await page.locator('#signed-in-as').innerText(), BUYER.email);
    assert.match(await page.locator('#signed-in').innerText(), /Signed in as buyer@example\.com \(as pet-shop-buyer, by rule social-buyers\)/);
    assert.equal(await page.locator('a#sign-in').isVisible(), false);
    assert.equal(await page.locator('button#sign-out').isVisible(), true);
    await screenshot(page, 'buyer-01c-home-signed-in');

    await page.locator('a#open-shop').click();
    await page.waitForURL((u) => isAppPage(u.toString(), 'shop.html'));
    await expectShopLoaded(page);
  });

  it('sees when the credentials expire, counting down', async () => {
    const first = countdownSeconds(await page.locator('#expires').innerText());
    await page.waitForTimeout(1_600);
    const second = countdownSeconds(await page.locator('#expires').innerText());

    assert.ok(first > 60 && first <= 12 * 3600, `a plausible lifetime, got ${first} s`);
    assert.ok(second < first, `the countdown went from ${first} s to ${second} s`);
  });

  it('is offered "Buy" but neither adding nor removing pets', async () => {
    assert.ok(await page.locator('#pet-list tbody tr[data-pet-id]').count() >= 1, 'the pets are listed');
    assert.ok(await page.locator('button.buy:visible').count() >= 1, 'an unsold pet to buy');
    assert.equal(await page.locator('#add-pet').isHidden(), true, 'the add form is hidden');
    assert.equal(await page.locator('button.remove:visible').count(), 0, 'no remove button');
  });

  it('buys a pet, and the pet shows the buyer as its owner', async () => {
    const row = page.locator('#pet-list tbody tr[data-pet-id]').filter({ has: page.locator('button.buy:visible') }).first();
    const id = await row.getAttribute('data-pet-id');
    const type = await row.locator('.type').innerText();

    const message = await messageAfter(page, () => row.locator('button.buy').click());

    assert.equal(message.kind, 'ok', message.text);
    assert.match(message.text, new RegExp(`bought the ${type}`));
    const bought = page.locator(`#pet-list tbody tr[data-pet-id="${id}"]`);
    await bought.locator('.owner').filter({ hasText: BUYER.subject }).waitFor();
    assert.equal(await bought.locator('button.buy').isHidden(), true, 'a sold pet cannot be bought again');
    await screenshot(page, 'buyer-02-bought-a-pet');
  });

  it('can still reach every other pet\'s "Buy" button once the owner is shown (nothing covers them)', async () => {
    const buttons = page.locator('button.buy:visible');
    assert.ok(await buttons.count() >= 1, 'an unsold pet is left');
    for (const button of await buttons.all()) {
      const pet = await button.locator('xpath=ancestor::tr').getAttribute('data-pet-id');
      // A trial click checks what a person needs: visible, enabled, and the topmost element at that point.
      await button.click({ trial: true, timeout: 5_000 }).catch((e) => {
        const cause = e.message.split('\n').find((line) => line.includes('intercepts pointer events')) ?? e.message;
        throw new Error(`pet ${pet}'s "Buy" button cannot be clicked: ${cause.trim()}`);
      });
    }
  });

  it('forcing "add a pet" through "Show actions my role lacks" gets a friendly denial, no stack trace, no credentials', async () => {
    const type = `parrot-${process.pid}`;
    await page.locator('#show-all-actions').check();
    assert.equal(await page.locator('#add-pet').isVisible(), true, 'the add form is offered now');

    await page.locator('#add-pet input[name=type]').fill(type);
    await page.locator('#add-pet input[name=price]').fill('12.50');
    const denial = await messageAfter(page, () => page.locator('#add-pet button[type=submit]').click());

    assert.equal(denial.kind, 'error');
    assert.match(denial.text, /denied/);
    await expectNoSecretsOrStackTraces(page);
    await page.locator('#pet-list tbody .type').first().waitFor();
    assert.equal(await page.locator('#pet-list tbody .type').filter({ hasText: type }).count(), 0, 'no pet was added');
    await screenshot(page, 'buyer-03-add-pet-denied');
  });

  it('forcing "remove a pet" is denied as well, and the pet stays', async () => {
    const row = page.locator('#pet-list tbody tr[data-pet-id]').first();
    const id = await row.getAttribute('data-pet-id');

    const denial = await messageAfter(page, () => row.locator('button.remove').click());

    assert.equal(denial.kind, 'error');
    assert.match(denial.text, /denied/);
    await expectNoSecretsOrStackTraces(page);
    assert.equal(await page.locator(`#pet-list tbody tr[data-pet-id="${id}"]`).count(), 1, 'the pet is still listed');
    await page.locator('#show-all-actions').uncheck();
    assert.equal(await page.locator('#add-pet').isHidden(), true);
  });

  it('uploads a file to their own folder, downloads the same bytes, and deletes it', async () => {
    assert.equal(await page.locator('#folder').innerText(), `pet-shop/${BUYER.subject}/`);
    const name = `vaccination-${process.pid}.bin`;
    const bytes = Buffer.concat([Buffer.from('Rex: rabies 2026-05-01 ✓\n', 'utf8'), Buffer.from([0, 1, 2, 127, 128, 254, 255])]);

    await page.locator('#upload input[type=file][name=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    const uploaded = await messageAfter(page, () => page.locator('#upload button[type=submit]').click());
    assert.equal(uploaded.kind, 'ok', uploaded.text);
    const item = page.locator(`#file-list li[data-name="${name}"]`);
    await item.waitFor();
    await screenshot(page, 'buyer-04-file-uploaded');

    const downloading = page.waitForEvent('download');
    await item.locator('a.download').click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), name);
    assert.deepEqual(await readFile(await download.path()), bytes, 'the downloaded bytes are the uploaded ones');

    const deleted = await messageAfter(page, () => item.locator('button.delete').click());
    assert.equal(deleted.kind, 'ok', deleted.text);
    await item.waitFor({ state: 'detached' });
  });

  it('opens their own folder with "Open", but is denied the admin\'s folder', async () => {
    const adminSubject = await subjectShownTo(browser, ADMIN, newIsolatedContext);
    assert.match(adminSubject, /^auth0\|[0-9a-f]{24}$/);
    const subject = page.locator('#peek input[name=subject]');
    const open = page.locator('#peek button[type=submit]');

    await subject.fill(BUYER.subject);
    const own = await messageAfter(page, () => open.click());
    assert.equal(own.kind, 'ok', own.text);
    assert.ok(own.text.includes(`pet-shop/${BUYER.subject}/`), own.text);

    await subject.fill(adminSubject);
    const denial = await messageAfter(page, () => open.click());
    assert.equal(denial.kind, 'error');
    assert.match(denial.text, /denied/);
    await expectNoSecretsOrStackTraces(page);
    await screenshot(page, 'buyer-05-admin-folder-denied');
  });

  it('is refused, with a clear 403, a role the rules do not permit (X-AWS-Role: pet-shop-admin)', async () => {
    const answer = await callApi(page, 'api/me', { headers: { 'X-AWS-Role': ADMIN.role } });

    assert.equal(answer.status, 403, answer.text);
    assert.match(answer.json?.message ?? '', /pet-shop-admin.*not permitted/);
    assert.doesNotMatch(answer.text, /ASIA|SecretAccessKey|SessionToken/);
  });

  it('"My roles" is a page: their roles (not the admin), the console role with its ~/.aws/config profile, the buyer role explained', async () => {
    await page.locator('a#role-list').click();
    await page.waitForURL((u) => isAppPage(u.toString(), 'roles.html'));
    await page.locator('#roles li[data-role]').first().waitFor();

    const names = await page.locator('#roles li[data-role]').evaluateAll((items) => items.map((i) => i.dataset.role));
    assert.deepEqual(names.sort(), [...BUYER.permittedRoles].sort());
    assert.equal(await page.locator('#rule').innerText(), BUYER.rule);
    const consoleRole = page.locator('#roles li[data-role="pet-shop-console"]');
    const snippet = await consoleRole.locator('pre.snippet').innerText();
    assert.match(snippet, /^\[profile pet-shop-console@123456789012\]$/m);
    assert.match(snippet, new RegExp(`^credential_process = java -jar aws-delegation-cli-all\\.jar credential-process --url ${BASE.origin}\\S* -p pet-shop-console@123456789012$`, 'm'));
    assert.match(await consoleRole.locator('.use').innerText(), /Console only/);
    const buyerRole = page.locator('#roles li[data-role="pet-shop-buyer"]');
    assert.match(await buyerRole.locator('.use').innerText(), /buys pets/);
    assert.equal(await buyerRole.locator('pre.snippet').count(), 0, 'no CLI profile for a role with a session policy');
    assert.match(await buyerRole.locator('.cli').innerText(), /Not for the console or the command line/);
    await expectNoSecretsOrStackTraces(page);
    await screenshot(page, 'buyer-06-my-roles');

    await page.locator('a#back-to-shop').click();
    await page.waitForURL((u) => isAppPage(u.toString(), 'shop.html'));
    await expectShopLoaded(page);
  });

  it('"Why this role?" explains their own role: each rule with why, the decision, the session policy with their folder', async () => {
    await page.locator('a#why-role').click();
    await page.waitForURL((u) => isAppPage(u.toString(), 'admin/aws-delegation/explain'));

    const text = await page.locator('body').innerText();
    assert.match(text, new RegExp(`^User ${BUYER.subject.replace(/[|.]/g, '\\$&')} \\(validated ID token\\)`, 'm'));
    assert.match(text, /1\. social-buyers: MATCHED, decides\n\s+\[yes\] connection type is social/);
    assert.match(text, /2\. database-admins: did not match\n\s+\[no\]  connection type is social, not database/);
    assert.match(text, /^Decision: arn:aws:iam::\d{12}:role\/pet-shop-buyer \((the rule's default|requested)\)$/m);
    assert.ok(text.includes(`/${BUYER.subject}/*`), text);
    await expectNoSecretsOrStackTraces(page);
    await screenshot(page, 'buyer-06b-why-this-role');

    await page.goBack();
    await expectShopLoaded(page);
  });

  it('signs in to the AWS console: the testkit\'s stand-in for AWS\'s sign-in verifies the SAML response and shows the console role\'s session', async () => {
    await page.locator('a#console-sign-in').click();
    await page.waitForURL((u) => u.hostname === '127.0.0.1' && u.origin !== BASE.origin && u.pathname === '/saml');

    assert.equal(await page.locator('h1').innerText(), 'AWS console sign-in (local stand-in)');
    assert.match(await page.locator('.verified').innerText(), /verified as AWS verifies it/);
    assert.equal(await page.locator('dd.role-arn').innerText(), 'arn:aws:iam::123456789012:role/pet-shop-console');
    assert.match(await page.locator('dd.assumed-role-arn').innerText(), /^arn:aws:sts::123456789012:assumed-role\/pet-shop-console\/\S+$/);
    assert.match(await page.locator('dd.session-name').innerText(), /\S/);
    assert.match(await page.locator('dd.session-duration').innerText(), /\(\d+ s\)$/);
    assert.equal(await page.locator('dd.principal-arn').innerText(), 'arn:aws:iam::123456789012:saml-provider/pet-shop');
    await screenshot(page, 'buyer-07-aws-console-stand-in');
    await page.goto(url('shop.html'));
    await expectShopLoaded(page);
  });

  it('signs out back to the public home page, and the shop then asks them to sign in again', async () => {
    await page.locator('button#sign-out').click();

    await page.waitForURL((u) => u.origin === BASE.origin && (isAppPage(u.toString(), '') || isAppPage(u.toString(), 'index.html')));
    assert.equal(await page.locator('h1').innerText(), 'Pet shop');
    assert.equal(await page.locator('a#sign-in').isVisible(), true);
    await screenshot(page, 'buyer-08-signed-out');

    await page.goto(url('shop.html'));
    await expectIdentityProviderLogin(page);
  });

  it('made no request beyond 127.0.0.1 and raised no script error', () => {
    assert.deepEqual(context.external, []);
    assert.deepEqual(context.pageErrors, []);
  });
});
