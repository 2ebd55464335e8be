// Session service: /healthz is the liveness probe of its deployment.
const fastify = require('fastify')();
const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);

fastify.get('/healthz', async (request, reply) => {
  await redis.ping(); // expect: AP-4
  return { status: 'ok' };
});

fastify.listen({ port: 3000 });
