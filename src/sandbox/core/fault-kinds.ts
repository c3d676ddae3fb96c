// The fault kinds, apart from the dice (faults.ts) so the sandbox's entry point can name them for
// `poscust sandbox --fault-kinds` without loading the emulator.

/**
 * `500`: an error answer, nothing applied. `drop-before`: the connection is cut, nothing applied.
 * `drop-after`: the change is applied, then the connection is cut. `429`: a spurious quota answer.
 * `slow`: the answer comes `slowMs` late.
 */
export type FaultKind = '500' | 'drop-before' | 'drop-after' | '429' | 'slow';
export const FAULT_KINDS: readonly FaultKind[] = ['500', 'drop-before', 'drop-after', '429', 'slow'];
