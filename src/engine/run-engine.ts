// What only a run needs: building and sending the request, reading the answer, mappings, outcomes,
// masking. The extension loads this module on the first run (the build bundles it alone as
// dist/run-engine.js), so activation does not read it; the command line bundles it in. Classes a
// caller tests with `instanceof` are exported from here, so they come from the same copy that throws.
export { runDefinition } from './run';
export { RunCancelledError, RunInputError } from './api';
export { parseResponseBody } from './http/response-body';
export { closeConnections } from './http/send';
// lead-list/: a run over a list of leads (`run --leads`), its input and its summary
export { leadListFormat, readLeadList, readLeadListFile, type LeadListFormat, type LeadListRead, type LeadRow } from './lead-list/read-list';
export { CONFIRM_ABOVE_LEADS, MAX_CONCURRENCY, runLeadList, type LeadListRunOptions, type LeadRun } from './lead-list/run-list';
export { csvCell, leadLabel, leadListCsv, leadListRow, type LeadListRow } from './lead-list/lead-rows';
export { estimateDrainMs, LeadListSummary, NOT_SENT, type LeadListSummaryDocument, type RefusedValues } from './lead-list/summary';
// The Marketo REST client (pull fields, leads and tokens): it sends with undici too.
export {
  MarketoClient, MarketoApiError, MarketoCancelledError, MarketoConfigError, MarketoNetworkError,
  describeLeads, getLead, programTokens, restFieldNames, type LeadKey, type MarketoResponse,
} from './marketo';
