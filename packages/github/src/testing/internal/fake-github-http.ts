/** A REST request after authentication, with its parsed JSON body. */
export interface ApiRequest {
  readonly method: string;
  /** Path below `/api/v3`, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  /** `http://127.0.0.1:port`, for pagination links. */
  readonly origin: string;
}

/** What the fake answers. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export const notFound: ApiResponse = { status: 404, body: { message: "Not Found" } };

/** A 422 as GitHub sends it. */
export function invalid(message: string): ApiResponse {
  return { status: 422, body: { message: "Validation Failed", errors: [{ message }] } };
}

/** One page of `items`, with a `Link` header to the next page as GitHub sends it. */
export function page(items: readonly unknown[], request: ApiRequest): ApiResponse {
  const perPage = Math.min(
    Math.max(Number.parseInt(request.query.get("per_page") ?? "30", 10) || 30, 1),
    100,
  );
  const number = Math.max(Number.parseInt(request.query.get("page") ?? "1", 10) || 1, 1);
  const slice = items.slice((number - 1) * perPage, number * perPage);
  if (number * perPage >= items.length) return { status: 200, body: slice };
  const next = new URLSearchParams(request.query);
  next.set("page", String(number + 1));
  const link = `<${request.origin}/api/v3${request.path}?${next.toString()}>; rel="next"`;
  return { status: 200, body: slice, headers: { link } };
}
