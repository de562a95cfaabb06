import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendJson } from '../http-util.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { UserActions } from '../chat/user-actions.js';
import { exchangeWithEndpoint, FlowExchangeError, openedFlow } from './flow-exchange.js';
import type { SandboxFlows } from './sandbox-flows.js';

const ACTIONS = new Set(['INIT', 'data_exchange', 'BACK']);

/**
 * The chat page's flow routes (under /sandbox/api/flows/):
 *   GET  message/:messageId           the flow a bot message opens: its Flow JSON and parameters
 *   POST message/:messageId/exchange  { action, screen?, data? } → the app's endpoint, encrypted and signed
 *   POST message/:messageId/complete  { waId, response } → the user's nfm_reply webhook
 *   GET  :flowId                      a flow and its Flow JSON (the assets' download_url)
 */
export async function handleFlowsChatApi(
  ctx: SandboxContext,
  flows: SandboxFlows,
  actions: UserActions,
  req: IncomingMessage,
  res: ServerResponse,
  parts: string[],
): Promise<void> {
  const method = req.method ?? 'GET';
  try {
    if (parts[0] === 'message' && parts[1] !== undefined) {
      const messageId = parts[1];
      if (method === 'GET' && parts.length === 2) {
        const opened = openedFlow(ctx, flows, messageId);
        const flowJson = opened.flow?.flowJson
          ? (JSON.parse(opened.flow.flowJson) as unknown)
          : null;
        return sendJson(res, 200, {
          flow: opened.flow
            ? { id: opened.flow.id, name: opened.flow.name, status: opened.flow.status }
            : null,
          flowJson,
          parameters: opened.parameters,
        });
      }
      const body =
        method === 'POST' ? (parseJsonObject(await readBody(req, 256 * 1024)) ?? {}) : {};
      if (method === 'POST' && parts[2] === 'exchange') {
        if (typeof body.action !== 'string' || !ACTIONS.has(body.action)) {
          return sendJson(res, 400, { error: 'action must be INIT, data_exchange or BACK' });
        }
        const result = await exchangeWithEndpoint(ctx, flows, messageId, {
          action: body.action,
          screen: typeof body.screen === 'string' ? body.screen : undefined,
          data:
            body.data !== null && typeof body.data === 'object'
              ? (body.data as Record<string, unknown>)
              : undefined,
        });
        return sendJson(res, 200, result);
      }
      if (method === 'POST' && parts[2] === 'complete' && typeof body.waId === 'string') {
        const response =
          body.response !== null && typeof body.response === 'object' ? body.response : {};
        return sendJson(
          res,
          200,
          actions.send(body.waId, {
            type: 'flow_reply',
            message_id: messageId,
            response: response as Record<string, unknown>,
          }),
        );
      }
    }
    if (method === 'GET' && parts.length === 1 && parts[0] !== undefined) {
      const flow = flows.flows.get(parts[0]);
      if (flow === undefined) return sendJson(res, 404, { error: `No flow ${parts[0]}` });
      return sendJson(res, 200, JSON.parse(flow.flowJson ?? 'null'));
    }
    sendJson(res, 404, { error: `No flows route ${method} ${parts.join('/')}` });
  } catch (error) {
    if (error instanceof FlowExchangeError) return sendJson(res, 400, { error: error.message });
    throw error;
  }
}
