import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export type ConnectionRoute = '$connect' | '$disconnect';

export interface RouteEventDetails {
  routeKey: ConnectionRoute;
  connectionId: string;
  connectedAt: Date;
  /** host:port the client connected to. */
  domainName: string;
  queryStringParameters?: Record<string, string>;
}

const EVENT_TYPES = { $connect: 'CONNECT', $disconnect: 'DISCONNECT' } as const;

/** The Lambda proxy event API Gateway sends to a $connect or $disconnect route, with the fields handlers read. */
export function routeEvent(details: RouteEventDetails): APIGatewayProxyWebsocketEventV2 {
  const now = new Date();
  const requestId = randomUUID();
  return {
    requestContext: {
      routeKey: details.routeKey,
      eventType: EVENT_TYPES[details.routeKey],
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
    ...(details.queryStringParameters ? { queryStringParameters: details.queryStringParameters } : {}),
  };
}
