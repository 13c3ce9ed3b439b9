export { IS_PUBLIC, Public } from './public.decorator.js';
