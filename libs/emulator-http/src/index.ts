export { readBody, sendAwsError, sendJson } from './http-messages.js';
