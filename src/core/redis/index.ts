export { RedisFactory } from './redis.factory.js';
export { REDIS, RedisModule } from './redis.module.js';
export { redisOptionsFromUrl } from './redis-options.js';
