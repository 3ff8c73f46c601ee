import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export type ConnectionRoute = '$connect' | '$disconnect';

export interface RouteEventDetails {
  /** `$connect`, `$disconnect`, or the route a client's message selected (`subscribe`, `$default`…). */
  routeKey: string;
  connectionId: string;
  connectedAt: Date;
  /** host:port the client connected to. */
  domainName: string;
  queryStringParameters?: Record<string, string>;
  /** A message route's text frame. */
  body?: string;
}

const EVENT_TYPES = { $connect: 'CONNECT', $disconnect: 'DISCONNECT' } as const;

/** The Lambda proxy event API Gateway sends to a route, with the fields handlers read. */
export function routeEvent(details: RouteEventDetails): APIGatewayProxyWebsocketEventV2 {
  const now = new Date();
  const requestId = randomUUID();
  return {
    requestContext: {
      routeKey: details.routeKey,
      eventType: EVENT_TYPES[details.routeKey as ConnectionRoute] ?? 'MESSAGE',
      messageId: requestId,
      extendedRequestId: requestId,
      requestId,
      requestTime: now.toISOString(),
      requestTimeEpoch: now.getTime(),
      messageDirection: 'IN',
      stage: 'local',
      apiId: 'local',
      domainName: details.domainName,
      connectionId: details.connectionId,
      connectedAt: details.connectedAt.getTime(),
    },
    isBase64Encoded: false,
    ...(details.body !== undefined ? { body: details.body } : {}),
    ...(details.queryStringParameters ? { queryStringParameters: details.queryStringParameters } : {}),
  };
}
