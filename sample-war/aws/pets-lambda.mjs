// The pets API's backend on real AWS: an AWS Lambda function (Node.js 20+) behind an API Gateway REST API whose
// methods use AWS_IAM authorization (pets-api.openapi.yaml). API Gateway has checked the caller's signature and the
// role's execute-api:Invoke permission before this runs; the function only keeps the pets.
//
// The pets live in the function's memory: a demo, which starts again from the three pets whenever Lambda starts a
// new instance. Keep them in DynamoDB for anything more.
const pets = new Map();
let nextId = 1;
for (const [type, price] of [['dog', 249.99], ['cat', 124.99], ['fish', 0.99]]) {
  pets.set(nextId, { id: nextId, type, price, owner: null });
  nextId++;
}

const answer = (statusCode, body) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: body === undefined ? '' : JSON.stringify(body),
});

// The caller, as API Gateway's IAM authorization saw it: the role session name of the assumed role
// (arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/<session name>), which aws-delegation derives from the user.
function caller(event) {
  const arn = event.requestContext?.identity?.userArn ?? '';
  return arn.includes(':assumed-role/') ? arn.split('/').pop() : arn;
}

export async function handler(event) {
  const id = Number(event.pathParameters?.id);
  switch (`${event.httpMethod} ${event.resource}`) {
    case 'GET /pets':
      return answer(200, { pets: [...pets.values()] });
    case 'POST /pets': {
      let input;
      try {
        input = JSON.parse(event.body ?? '');
      } catch {
        input = null;
      }
      if (!input || typeof input.type !== 'string' || !input.type.trim() || typeof input.price !== 'number') {
        return answer(400, { message: 'Invalid request body: give "type" (a string) and "price" (a number)' });
      }
      const pet = { id: nextId++, type: input.type.trim(), price: input.price, owner: null };
      pets.set(pet.id, pet);
      return answer(201, pet);
    }
    case 'DELETE /pets/{id}':
      return pets.delete(id) ? answer(204) : answer(404, { message: `No pet ${event.pathParameters?.id}` });
    case 'POST /pets/{id}/purchase': {
      const pet = pets.get(id);
      if (!pet) {
        return answer(404, { message: `No pet ${event.pathParameters?.id}` });
      }
      if (pet.owner) {
        return answer(409, { message: `Pet ${id} is sold already` });
      }
      pet.owner = caller(event);
      return answer(200, pet);
    }
    default:
      return answer(404, { message: `No route ${event.httpMethod} ${event.resource}` });
  }
}
