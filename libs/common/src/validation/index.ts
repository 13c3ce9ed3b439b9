export { AppValidationPipe } from './validation.pipe.js';
