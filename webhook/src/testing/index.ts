// Test-only fixtures (`@openvox/webhook/testing`) for the webhook's tests, the fuzz test and the benchmark.
export { seedServer, fullServer, serverReview, SERVER_KIND, type ServerObject } from './fixtures.js';
