// The e-mail channel from an agent's chair: a citizen's mail waits in the team's work queue, the
// agent opens the thread, takes it, answers, and closes it with a result; the answer is in the
// thread and the thread has left the queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withDemo, login, screenshots } from './loket.mjs';

const demo = withDemo();

test('an agent answers a citizen\'s mail from the work queue and closes it', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await login(page, demo.server.address, 'anouk');
  await page.goto(`${demo.server.address}/werkvoorraad?soort=e-mail`);
  const item = page.locator('li.card', { hasText: 'Grofvuil ophalen' });
  await item.getByRole('link', { name: /E-mail openen/ }).click();
  await page.waitForURL(/\/werkvoorraad\/e-mail\//);
  await page.getByRole('heading', { level: 1, name: 'Grofvuil ophalen' }).waitFor();
  assert.match(await page.locator('.mail-in .mail-text').first().textContent(), /oude bank en een kast/);
  assert.equal(await page.locator('.mail-out').count(), 1, 'the receipt is in the thread');
  const reference = (await page.locator('dd code').first().textContent()).trim();
  assert.match(reference, /^E-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  await page.getByRole('button', { name: 'Oppakken' }).click();
  await page.getByText('(u)').first().waitFor();
  await page.getByLabel('Uw antwoord').fill('Beste mevrouw Vos,\n\nU maakt een afspraak via dijkstad.example/grofvuil. We halen het binnen een week op.');
  await page.getByRole('button', { name: 'Antwoord versturen' }).click();
  await page.getByText('Het antwoord is verstuurd.').waitFor();
  const answer = page.locator('.mail-out').last();
  assert.match(await answer.textContent(), /binnen een week op/);
  assert.match(await answer.textContent(), new RegExp(reference), 'the answer carries the reference');
  await page.screenshot({ path: join(screenshots, 'email-draad.png'), fullPage: true });

  await page.getByLabel('Resultaat').fill('Uitgelegd hoe een afspraak te maken');
  await page.getByRole('button', { name: 'E-mail afhandelen' }).click();
  await page.getByText('De e-mail is afgehandeld.').waitFor();
  assert.equal(await page.locator('li.card', { hasText: 'Grofvuil ophalen' }).count(), 0, 'it left the queue');
  await context.close();
});
