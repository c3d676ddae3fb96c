// The ways a real DealPOS server may answer unlike the contract's pinned guesses, each one the
// sandbox can play (`poscust sandbox --dialect <name>`), with the evidence for it: docs/dialects.md.
export const DEALPOS_DIALECTS = {
  'narrow-list': "list rows (GET /Customer, WithTotalCount) carry 14 fields, as a production ETL's do, not the whole customer",
  'records-count': 'WithTotalCount answers {DataArray, RecordsCount}, as DealPOS\'s other paged lists do',
  'listid-comma': 'ListID takes the IDs comma-joined (ID=a,b); repeated ID parameters are a 400',
  'listid-body': 'ListID is a POST with a JSON array of IDs; GET is a 405',
  'delete-body': 'deletes read the key from a JSON body only; a key in the query is a 400',
  'newcode-message': 'NewCode answers {"Message": "<code>"}, as the vendor\'s page shows',
} as const;
