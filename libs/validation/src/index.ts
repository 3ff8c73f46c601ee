export { createValidationPipe } from './validation.pipe.js';
