export { signWebhookBody } from './sign-webhook-body.js';
