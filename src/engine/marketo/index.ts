// The Marketo REST client (docs/marketo-rest.md): what hosts use, through ../run-engine.
export { MarketoClient, MAX_GET_URL_BYTES, RETRY_DELAYS_MS, type MarketoClientOptions, type MarketoCredentials, type MarketoRequest, type MarketoResponse } from './client';
export { CallLimiter, SYSTEM_CLOCK, type Clock } from './limiter';
export { MarketoApiError, MarketoCancelledError, MarketoConfigError, MarketoNetworkError } from './errors';
export { marketoBaseUrl } from './base-url';
export { describeLeads, getLead, programTokens, restFieldNames, type LeadKey } from './operations';
export { LEAD_FILES_PATTERN, leadKeyFrom, oneEmailAddress, positiveId, pullFileName, pullFileText, type PullTarget } from './pull-files';
