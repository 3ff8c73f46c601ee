/** Lambda's limit for a synchronous request payload and for a response payload (6 MB). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
