export { signWebhookBody } from './sign-webhook-body.js';
export {
  FakeGraphApi,
  FAKE_IDS,
  type FakeGraphApiOptions,
  type FakeGraphErrorFields,
  type FailAnswer,
  type RecordedFile,
  type RecordedRequest,
  type RequestMatch,
  type SentMessage,
} from './fake-graph-api.js';
export {
  FAKE_RATES,
  FakeAnalyticsState,
  type FakeTemplateSend,
} from './fake-graph/fake-analytics-routes.js';
export {
  FAKE_APP,
  FakeManagementState,
  type FakeSignupCode,
} from './fake-graph/fake-graph-management.js';
export {
  WhatsAppTestApp,
  WHATSAPP_TEST_SECRETS,
  type IdleOptions,
  type ReceiveOptions,
  type WebhookResponse,
  type WhatsAppTestAppOptions,
} from './whatsapp-test-app.js';
export {
  createWebhookBuilder,
  webhook,
  toMetaJson,
  sampleSdpOffer,
  newCallId,
  type WebhookBuilder,
  type GroupCallBuilders,
  type GroupEventOptions,
  type CallOptions,
} from './webhook-builders/index.js';
export type * from './webhook-builders/webhook-builder-options.js';
export { fakeGroupsOf, type FakeGroup } from './fake-graph/fake-groups-calls-routes.js';
export {
  encryptFlowRequest,
  decryptFlowResponse,
  type EncryptFlowRequestOptions,
  type FlowRequestFixture,
} from './flow-requests.js';
export type { FlowResponse } from './test-app-flows.js';
