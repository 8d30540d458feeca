// How a request to an Iceberg REST catalog is authenticated: a bearer token, an OAuth2
// client-credentials token, or a SigV4 signature (Glue's and S3 Tables' endpoints).
export interface RestRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RequestAuthenticator {
  /** The headers to add to this request (Authorization, and for SigV4 x-amz-date etc.). */
  headersFor(request: RestRequest): Promise<Record<string, string>>;
  /** Called after a 401/419 answer: the next headersFor gets a fresh token. */
  invalidate?(): void;
}

export const noAuthentication: RequestAuthenticator = { headersFor: () => Promise.resolve({}) };
