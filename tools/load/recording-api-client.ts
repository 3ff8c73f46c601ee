import { setTimeout as delay } from 'node:timers/promises';

/** One API request as the client saw it; times in ms since the run started. */
export interface ApiExchange {
  route: string;
  status: number;
  startedAt: number;
  endedAt: number;
  /** Kept for error answers, to check the shared error body. */
  errorBody?: unknown;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** Set on the answer to a retry that followed a connection reset. */
  afterReset?: boolean;
}

/** The status recorded for a request that got no answer (the connection was reset or refused). */
export const NO_ANSWER = 0;
/** Marks the route of a retry that follows a request with NO_ANSWER. */
export const AFTER_RESET = ' (after a connection reset)';

const RETRY_BASE_DELAY_MS = 250;
const RETRY_MAX_DELAY_MS = 2_000;

/** What the API is asked: `route` names the endpoint in the records (`POST /groups/:groupId/images`). */
export interface ApiPost {
  path: string;
  route: string;
  token: string;
  body: object;
}

export interface ApiCall {
  method: 'GET' | 'DELETE';
  path: string;
  route: string;
  token?: string;
}

/** The API's clients, as well-behaved apps would be (bearer token, retry with back-off on 503), recording every exchange. */
export class RecordingApiClient {
  readonly exchanges: ApiExchange[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly now: () => number,
    private readonly signal: AbortSignal,
  ) {}

  async post({ path, route, token, body }: ApiPost): Promise<ApiAnswer> {
    const startedAt = this.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: this.signal,
    });
    const answer = { status: response.status, body: await response.json().catch(() => undefined) };
    const exchange: ApiExchange = { route, status: answer.status, startedAt, endedAt: this.now() };
    if (answer.status >= 400) exchange.errorBody = answer.body;
    this.exchanges.push(exchange);
    return answer;
  }

  /**
   * A request without a body (GET, DELETE); the token only when given. A connection reset before any answer is
   * recorded as status 0 (NO_ANSWER), as a browser sees it, not thrown.
   */
  async call({ method, path, route, token }: ApiCall): Promise<ApiAnswer> {
    const startedAt = this.now();
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
        signal: this.signal,
      });
    } catch (error) {
      if (this.signal.aborted) throw error;
      const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      this.exchanges.push({ route, status: NO_ANSWER, startedAt, endedAt: this.now(), errorBody: code });
      return { status: NO_ANSWER, body: undefined };
    }
    const text = await response.text();
    const answer = { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    const exchange: ApiExchange = { route, status: answer.status, startedAt, endedAt: this.now() };
    if (answer.status >= 400) exchange.errorBody = answer.body;
    this.exchanges.push(exchange);
    return answer;
  }

  /** Retries while the API answers 503 (a dependency is down), with exponential back-off and full jitter, until the run's deadline. */
  postRetryingUnavailable(request: ApiPost): Promise<ApiAnswer> {
    return this.retryingUnavailable(
      () => this.post(request),
      (status) => status === 503,
    );
  }

  /**
   * Also retries a connection reset; the retries' route is then marked, as a DELETE retried after a reset may
   * rightly find the image gone (404): the first attempt may have deleted it.
   */
  callRetryingUnavailable(request: ApiCall): Promise<ApiAnswer> {
    let reset = false;
    return this.retryingUnavailable(
      async () => {
        const answer = await this.call(reset ? { ...request, route: `${request.route}${AFTER_RESET}` } : request);
        if (reset) answer.afterReset = true;
        reset ||= answer.status === NO_ANSWER;
        return answer;
      },
      (status) => status === 503 || status === NO_ANSWER,
    );
  }

  private async retryingUnavailable(
    send: () => Promise<ApiAnswer>,
    retryable: (status: number) => boolean,
  ): Promise<ApiAnswer> {
    for (let retry = 0; ; retry++) {
      const answer = await send();
      if (!retryable(answer.status)) return answer;
      const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.min(retry, 10));
      await delay(Math.random() * ceiling, undefined, { signal: this.signal });
    }
  }
}
