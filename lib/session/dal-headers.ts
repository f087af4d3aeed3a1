// Request headers the proxy passes to the app. Kept apart from dal.ts, which the proxy must not import.
export const PATHNAME_HEADER = 'x-pathname';
/**
 * "1" when the proxy renewed this request's hybrid access token, so code behind it does not rotate
 * the refresh token a second time. The proxy sets or removes it on every request: a client cannot.
 */
export const RENEWED_HEADER = 'x-session-renewed';
