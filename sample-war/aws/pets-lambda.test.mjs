// The real-AWS backend of the pets API answers the routes and shapes of the testkit's LocalPetsApi, for the events API Gateway's
// Lambda proxy integration sends. Run: node --test sample-war/aws/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handler } from './pets-lambda.mjs';

const BUYER = 'arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/amazon-amzn1.account.DEMO';
const event = (httpMethod, resource, { id, body, userArn = BUYER } = {}) => ({
  httpMethod, resource, body, pathParameters: id === undefined ? null : { id: String(id) },
  requestContext: { identity: { userArn } },
});
const json = response => JSON.parse(response.body);

test('lists the three demo pets', async () => {
  const response = await handler(event('GET', '/pets'));
  assert.equal(response.statusCode, 200);
  assert.deepEqual(json(response).pets.slice(0, 3).map(p => p.type), ['dog', 'cat', 'fish']);
});

test('adds a pet and removes it', async () => {
  const added = await handler(event('POST', '/pets', { body: JSON.stringify({ type: 'parrot', price: 42.5 }) }));
  assert.equal(added.statusCode, 201);
  const { id } = json(added);
  assert.ok(json(await handler(event('GET', '/pets'))).pets.some(p => p.type === 'parrot'));
  assert.equal((await handler(event('DELETE', '/pets/{id}', { id }))).statusCode, 204);
  assert.equal((await handler(event('DELETE', '/pets/{id}', { id }))).statusCode, 404);
});

test('refuses a pet without a type or a numeric price', async () => {
  assert.equal((await handler(event('POST', '/pets', { body: '{"type":"cat","price":"free"}' }))).statusCode, 400);
  assert.equal((await handler(event('POST', '/pets', { body: 'not json' }))).statusCode, 400);
});

test('sells a pet once, to the caller named by the assumed role session', async () => {
  const bought = await handler(event('POST', '/pets/{id}/purchase', { id: 2 }));
  assert.equal(bought.statusCode, 200);
  assert.equal(json(bought).owner, 'amazon-amzn1.account.DEMO');
  assert.equal((await handler(event('POST', '/pets/{id}/purchase', { id: 2 }))).statusCode, 409);
  assert.equal((await handler(event('POST', '/pets/{id}/purchase', { id: 999 }))).statusCode, 404);
});
