// The ways a real PORTOS server may answer unlike the contract's pinned guesses (docs/dialects.md).
export const PORTOS_DIALECTS = {
  'portos-code-names': 'validation errors name their constraint ("Required", "Unique") instead of the numbers 1 and 2',
} as const;
